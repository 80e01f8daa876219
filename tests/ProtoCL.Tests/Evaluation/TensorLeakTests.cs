using ProtoCL.Evaluation;
using TorchSharp;

namespace ProtoCL.Tests.Evaluation;

public class TensorLeakTests
{
    [Fact]
    public void Should_LeaveNoLiveTensors_When_ProtocolsReturn()
    {
        var (train, trainLabels) = Blobs.Make(classes: 3, perClass: 20, dim: 4, separation: 2.0, noise: 0.5, seed: 51);
        var (test, testLabels) = Blobs.Make(classes: 3, perClass: 10, dim: 4, separation: 2.0, noise: 0.5, seed: 52);
        using (train)
        using (test)
        {
            // Warm-up: the first calls may create lazily cached tensors inside TorchSharp.
            RunAll();
            long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
            RunAll();
            Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
            // The counter does see a tensor left alive, so the check above can fail.
            using var kept = torch.zeros(1);
            Assert.Equal(before + 1, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        }

        void RunAll()
        {
            KnnClassifier.Evaluate(train, trainLabels, test, testLabels, k: 5, blockSize: 7);
            LinearProbe.Evaluate(train, trainLabels, test, testLabels, new LinearProbeOptions { Epochs = 2 });
            LowShotSvm.Evaluate(train, trainLabels, test, testLabels, new LowShotSvmOptions { Shots = [1, 2], Draws = 2 });
            ClusterEvaluation.Evaluate(test, testLabels, restarts: 2);
            using var scores = LinearSvm.Train(train, trainLabels.Select(y => y == 0).ToArray()).DecisionFunction(test);
        }
    }
}
