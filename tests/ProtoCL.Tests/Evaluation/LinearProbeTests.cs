using ProtoCL.Evaluation;
using TorchSharp;
using static TorchSharp.torch;

namespace ProtoCL.Tests.Evaluation;

public class LinearProbeTests
{
    [Fact]
    public void Should_ReachFullAccuracy_When_BlobsAreSeparable()
    {
        var (train, trainLabels) = Blobs.Make(classes: 5, perClass: 200, dim: 16, separation: 4.0, noise: 0.5, seed: 21);
        var (test, testLabels) = Blobs.Make(classes: 5, perClass: 60, dim: 16, separation: 4.0, noise: 0.5, seed: 22);
        using (train)
        using (test)
        {
            var options = new LinearProbeOptions { Epochs = 40, BatchSize = 64, Seed = 1 };
            var result = LinearProbe.Evaluate(train, trainLabels, test, testLabels, options);
            Assert.True(result.Accuracy >= 0.99, $"test accuracy {result.Accuracy}");
            Assert.True(result.TrainAccuracy >= 0.99, $"train accuracy {result.TrainAccuracy}");
            Assert.True(result.FinalLoss < 0.1, $"final loss {result.FinalLoss}");
            Assert.Equal(40, result.Epochs);

            // Seeded: the same settings give the same probe, also when the caller has gradients switched off
            // (the probe's own training re-enables them; without that, backward() would throw).
            LinearResult again;
            using (no_grad()) again = LinearProbe.Evaluate(train, trainLabels, test, testLabels, options);
            Assert.Equal(result.FinalLoss, again.FinalLoss);
        }
    }

    [Fact]
    public void Should_LeaveBackboneBitwiseUnchanged_When_ProbingItsFeatures()
    {
        torch.manual_seed(3);
        using var backbone = nn.Sequential(nn.Linear(8, 12), nn.BatchNorm1d(12), nn.ReLU());
        backbone.eval();
        // Class centres 3 * e_c are 3 * sqrt(2) = 4.2 apart with per-coordinate noise 0.5 (about 8 noise standard
        // deviations between centres): separable before the random projection, and still so after it.
        var (inputs, labels) = Blobs.Make(classes: 3, perClass: 40, dim: 8, separation: 3.0, noise: 0.5, seed: 23);
        using (inputs)
        {
            bool featuresUnchanged = false;
            var result = ParameterFingerprint.EnsureUnchanged(backbone, () =>
            {
                using var scope = NewDisposeScope();
                using var _ = no_grad();
                var features = backbone.forward(inputs); // [120, 12]
                var snapshot = features.clone(); // [120, 12]
                var probe = LinearProbe.Evaluate(features, labels, features, labels, new LinearProbeOptions { Epochs = 30, BatchSize = 32 });
                // The probe standardises a copy: the caller's feature tensor itself is left as it was.
                featuresUnchanged = features.shape.SequenceEqual(snapshot.shape) && features.eq(snapshot).all().item<bool>();
                return probe;
            });
            Assert.True(featuresUnchanged, "the probe changed the feature tensor it was given");
            Assert.True(result.Accuracy >= 0.95, $"accuracy {result.Accuracy} on well-separated blobs");
        }
    }

    [Fact]
    public void Should_ChangeFingerprint_When_AParameterOrBufferChanges()
    {
        torch.manual_seed(4);
        using var module = nn.Sequential(nn.Linear(4, 3), nn.BatchNorm1d(3));
        string before = ParameterFingerprint.Compute(module);
        string parametersBefore = ParameterFingerprint.Compute(module, includeBuffers: false);
        Assert.Equal(before, ParameterFingerprint.Compute(module));

        // A training-mode forward pass moves only the BatchNorm running statistics (buffers).
        using (no_grad())
        using (var x = randn(5, 4))
        {
            module.train();
            module.forward(x).Dispose();
        }
        string afterForward = ParameterFingerprint.Compute(module);
        Assert.NotEqual(before, afterForward);
        Assert.Equal(parametersBefore, ParameterFingerprint.Compute(module, includeBuffers: false));

        // EnsureUnchanged reports a change made by the action.
        Assert.Throws<InvalidOperationException>(() => ParameterFingerprint.EnsureUnchanged(module, () =>
        {
            using (no_grad())
            {
                var weight = module.parameters().First();
                weight.add_(1e-6f);
            }
            return 0;
        }));
    }
}
