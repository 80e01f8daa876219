using ProtoCL.Data;
using ProtoCL.Evaluation;
using ProtoCL.IO;
using ProtoCL.Tests.Training;
using ProtoCL.Training;
using static TorchSharp.torch;

namespace ProtoCL.Tests.Evaluation;

public class EvaluationRunnerTests
{
    /// <summary>1-channel 1 x 2 images whose two pixels are a point's coordinates.</summary>
    private static ImageDataset Points(byte[][] points, int[] labels, string source) =>
        new(tensor(points.SelectMany(p => p).ToArray()).view(points.Length, 1, 1, 2), labels, source);

    [Fact]
    public void Should_RefuseBeforeExtractingFeatures_When_ASetHasNoLabels()
    {
        using var labelled = Points([[1, 2], [3, 4]], [0, 1], "labelled");
        using var unlabelled = new ImageDataset(tensor(new byte[] { 1, 2, 3, 4 }).view(2, 1, 1, 2), null, "no-labels");
        var stages = new List<string>();

        var train = Assert.Throws<ArgumentException>(() => EvaluationRunner.Run(Protocol.Knn, "random", unlabelled, labelled, new EvaluationSettings(), (s, _, _) => stages.Add(s)));
        var test = Assert.Throws<ArgumentException>(() => EvaluationRunner.Run(Protocol.Knn, "random", labelled, unlabelled, new EvaluationSettings(), (s, _, _) => stages.Add(s)));

        Assert.Equal("the training data (no-labels) has no labels; the protocols need labelled data", train.Message);
        Assert.Equal("the test data (no-labels) has no labels; the protocols need labelled data", test.Message);
        Assert.Empty(stages);                                                // no feature was extracted
    }

    [Fact]
    public void Should_LeaveUnlabelledImagesOutOfTheScores_When_SomeImagesHaveNoClass()
    {
        // An unlabelled train point at (250, 1) sits next to the test point (250, 0): left out, the nearest train point of
        // (250, 0) is (200, 10), class 0, right; (0, 90) -> (10, 200), class 1, right. The unlabelled test point (90, 100)
        // is not scored. Accuracy 2 / 2 on 3 train and 2 test images.
        using var train = Points([[200, 10], [250, 1], [10, 200], [100, 100]], [0, ImageDataset.Unlabelled, 1, 2], "train-points");
        using var test = Points([[250, 0], [90, 100], [0, 90]], [0, ImageDataset.Unlabelled, 1], "test-points");

        var json = EvaluationRunner.Run(Protocol.Knn, "raw", train, test, new EvaluationSettings { KnnK = 1 });

        Assert.Equal(1.0, json["accuracy"]!.GetValue<double>(), 12);
        Assert.Equal(3, json["train_images"]!.GetValue<int>());
        Assert.Equal(2, json["test_images"]!.GetValue<int>());
        Assert.Equal(1, json["train_unlabelled_left_out"]!.GetValue<int>());
        Assert.Equal(1, json["test_unlabelled_left_out"]!.GetValue<int>());
        // A set of only unlabelled images cannot be scored.
        using var none = Points([[1, 2]], [ImageDataset.Unlabelled], "only-loose");
        var stages = new List<string>();
        var e = Assert.Throws<ArgumentException>(() => EvaluationRunner.Run(Protocol.Knn, "raw", train, none, new EvaluationSettings { KnnK = 1 }, (s, _, _) => stages.Add(s)));
        Assert.Contains("only-loose has no labelled images", e.Message);
        Assert.Empty(stages);                                                // refused before any feature was extracted
    }

    [Fact]
    public void Should_RecordLowShotDrawsAsPositionsInTheData_When_UnlabelledImagesAreLeftOut()
    {
        // Train images 0 and 2 are unlabelled. The labelled ones are 1 and 4 (class 0) and 3 and 5 (class 1); every
        // one-shot draw must name one of each by its position in the data as read, never an unlabelled image's position
        // (the draws are made among the 4 labelled rows, whose positions 0-3 would name images 0-3 unmapped).
        int u = ImageDataset.Unlabelled;
        using var train = Points([[200, 10], [210, 20], [15, 190], [10, 200], [190, 5], [20, 210]], [u, 0, u, 1, 0, 1], "train-points");
        using var test = Points([[250, 0], [0, 90]], [0, 1], "test-points");

        var json = EvaluationRunner.Run(Protocol.LowShot, "raw", train, test, new EvaluationSettings { LowShotShots = [1] });

        var draws = json["results"]!["1"]!["train_indices"]!.AsArray().Select(d => d!.AsArray().Select(i => i!.GetValue<int>()).ToArray()).ToArray();
        Assert.Equal(5, draws.Length);
        Assert.All(draws, d => Assert.Contains(d[0], new[] { 1, 4 }));
        Assert.All(draws, d => Assert.Contains(d[1], new[] { 3, 5 }));
        Assert.Equal(2, json["train_unlabelled_left_out"]!.GetValue<int>());
    }

    [Fact]
    public void Should_MatchTestClassesToTrainingClassesByName_When_TheFoldersDiffer()
    {
        // Training classes birds (0) at 2.9 deg, cats (1) at 87.1 deg, dogs (2) at 45 deg; the test tree has only cats and
        // dogs, numbered 0 and 1 by its own folders. Matched by name, (0, 90) is a cat (nearest (10, 200), cats) and (90, 100)
        // a dog (nearest (100, 100), dogs): 2 of 2 right. Matched by position both would be wrong (cats = 0 = birds).
        using var train = new ImageDataset(tensor(new byte[] { 200, 10, 10, 200, 100, 100 }).view(3, 1, 1, 2), [0, 1, 2], "train-tree", ["birds", "cats", "dogs"]);
        using var test = new ImageDataset(tensor(new byte[] { 0, 90, 90, 100 }).view(2, 1, 1, 2), [0, 1], "test-tree", ["cats", "dogs"]);

        var json = EvaluationRunner.Run(Protocol.Knn, "raw", train, test, new EvaluationSettings { KnnK = 1 });
        Assert.Equal(1.0, json["accuracy"]!.GetValue<double>(), 12);
        Assert.Equal(["birds", "cats", "dogs"], json["class_names"]!.AsArray().Select(n => n!.GetValue<string>()).ToArray()); // per_class_*[c] is class c
        Assert.Equal([0, 1, 1], json["per_class_total"]!.AsArray().Select(n => n!.GetValue<int>()).ToArray());

        // The same names in another Unicode form (decomposed accents, as folders copied from macOS have them) are the same classes.
        using var composed = new ImageDataset(tensor(new byte[] { 200, 10, 10, 200, 100, 100 }).view(3, 1, 1, 2), [0, 1, 2], "nfc-tree", ["birds", "c\u00e1ts", "dogs"]);
        using var decomposed = new ImageDataset(tensor(new byte[] { 0, 90, 90, 100 }).view(2, 1, 1, 2), [0, 1], "nfd-tree", ["ca\u0301ts", "dogs"]);
        var nfd = EvaluationRunner.Run(Protocol.Knn, "raw", composed, decomposed, new EvaluationSettings { KnnK = 1 });
        Assert.Equal(1.0, nfd["accuracy"]!.GetValue<double>(), 12);

        // A test class the training data does not have cannot be classified: refused before extraction, naming it;
        // clustering reads only the test labels and runs.
        using var zebras = new ImageDataset(tensor(new byte[] { 0, 90, 90, 100 }).view(2, 1, 1, 2), [0, 1], "zebra-tree", ["cats", "zebras"]);
        var stages = new List<string>();
        var e = Assert.Throws<ArgumentException>(() => EvaluationRunner.Run(Protocol.Knn, "raw", train, zebras, new EvaluationSettings { KnnK = 1 }, (s, _, _) => stages.Add(s)));
        Assert.Contains("the test data's class(es) 'zebras' have no training class of that name (training classes: birds, cats, dogs)", e.Message);
        Assert.Empty(stages);
        var cluster = EvaluationRunner.Run(Protocol.Cluster, "raw", train, zebras, new EvaluationSettings());
        Assert.Equal(2, cluster["test_images"]!.GetValue<int>());
        Assert.Equal("raw is a baseline without PCL levels", cluster["levels_note"]!.GetValue<string>());
    }

    [Fact]
    public void Should_ScoreHandPlacedPointsByCosineNearestNeighbour_When_RunningKnnOnRawPixels()
    {
        // Train points at angles atan2(y, x): (200, 10) 2.9 deg class 0, (10, 200) 87.1 deg class 1, (100, 100) 45 deg class 2.
        using var train = Points([[200, 10], [10, 200], [100, 100]], [0, 1, 2], "train-points");
        // Test points with k = 1 (nearest by cosine, i.e. by angle):
        //   (250, 0)  0 deg    -> (200, 10)  class 0, truth 0: right
        //   (0, 90)   90 deg   -> (10, 200)  class 1, truth 1: right
        //   (90, 100) 48.0 deg -> (100, 100) class 2, truth 1: wrong (45 deg is 3.0 away, 87.1 deg is 39.0 away)
        //   (50, 40)  38.7 deg -> (100, 100) class 2, truth 2: right (6.3 deg away; 2.9 deg is 35.8 away)
        // accuracy 3 / 4; per class correct (1, 1, 1) of (1, 2, 1).
        using var test = Points([[250, 0], [0, 90], [90, 100], [50, 40]], [0, 1, 1, 2], "test-points");

        var json = EvaluationRunner.Run(Protocol.Knn, "raw", train, test, new EvaluationSettings { KnnK = 1, Seed = 3 });

        Assert.Equal("knn", json["protocol"]!.GetValue<string>());
        Assert.Equal("raw", json["checkpoint"]!.GetValue<string>());
        Assert.Equal("train-points", json["train_data"]!.GetValue<string>());
        Assert.Equal("test-points", json["test_data"]!.GetValue<string>());
        Assert.Equal(3, json["train_images"]!.GetValue<int>());
        Assert.Equal(4, json["test_images"]!.GetValue<int>());
        Assert.Equal(2, json["feature_dim"]!.GetValue<long>()); // 1 channel x 1 x 2 pixels
        Assert.Equal(3, json["seed"]!.GetValue<int>());
        Assert.Equal(0.75, json["accuracy"]!.GetValue<double>(), 12);
        Assert.Equal(1, json["k"]!.GetValue<int>());
        Assert.Equal(0.07, json["temperature"]!.GetValue<double>());
        Assert.Equal([1, 1, 1], json["per_class_correct"]!.AsArray().Select(n => n!.GetValue<int>()));
        Assert.Equal([1, 2, 1], json["per_class_total"]!.AsArray().Select(n => n!.GetValue<int>()));
    }

    [Fact]
    public void Should_RunEachProtocolInTheGivenOrder_When_RunningAll()
    {
        // The points of the kNN test above: k = 1 gives 3 of 4 right. Clustering the test points (angles 0, 90, 48.0 and
        // 38.7 deg) into K = 3 (classes) merges the closest pair, 48.0 and 38.7 deg (9.3 deg apart; the next closest
        // pair is 38.7 deg apart): clusters {0} {90} {48.0, 38.7} with truths {0} {1} {1, 2}, Hungarian accuracy 3 / 4.
        using var train = Points([[200, 10], [10, 200], [100, 100]], [0, 1, 2], "train-points");
        using var test = Points([[250, 0], [0, 90], [90, 100], [50, 40]], [0, 1, 1, 2], "test-points");
        var settings = new EvaluationSettings { KnnK = 1, Seed = 3 };
        var seen = new List<Protocol>();

        var all = EvaluationRunner.RunAll([Protocol.Cluster, Protocol.Knn], "raw", train, test, settings, done: (p, json) => seen.Add(p));

        Assert.Equal([Protocol.Cluster, Protocol.Knn], seen);
        Assert.Equal(0.75, all[Protocol.Knn]["accuracy"]!.GetValue<double>(), 12);
        Assert.Equal(0.75, all[Protocol.Cluster]["accuracy"]!.GetValue<double>(), 12);
        Assert.Equal("cluster", all[Protocol.Cluster]["protocol"]!.GetValue<string>());
        // Each result is what the single-protocol call writes.
        Assert.Equal(EvaluationRunner.Run(Protocol.Cluster, "raw", train, test, settings).ToJsonString(), all[Protocol.Cluster].ToJsonString());
        Assert.Equal(EvaluationRunner.Run(Protocol.Knn, "raw", train, test, settings).ToJsonString(), all[Protocol.Knn].ToJsonString());
    }

    [Fact]
    public void Should_RefuseUnlabelledData_When_Evaluating()
    {
        using var train = new ImageDataset(tensor(new byte[] { 1, 2, 3, 4 }).view(2, 1, 1, 2), null, "unlabelled");
        using var test = Points([[1, 2]], [0], "test-points");
        var e = Assert.Throws<ArgumentException>(() => EvaluationRunner.Run(Protocol.Knn, "raw", train, test, new EvaluationSettings()));
        Assert.Contains("unlabelled", e.Message);
    }

    [Fact]
    public void Should_ScoreEveryLevelOfTheLastEStepOnTheLabelledImages_When_RunningClusterOnAPclRun()
    {
        var dir = TinyRun.TempDir();
        try
        {
            using var data = TinyRun.Data();                                   // 320 labelled images
            using (var trainer = new Trainer(TinyRun.Options(), data, new RunDirectory(dir))) trainer.Run();
            // The last E-step's assignments, read from its files: clusters/epoch-0002/level{m}-k{K}-assignments.npy.
            var epochDir = Path.Combine(dir, "clusters", "epoch-0002");
            int[] Read(int m, int k)
            {
                using var t = Npy.Read(Path.Combine(epochDir, $"level{m}-k{k}-assignments.npy"));
                return t.data<long>().Select(a => (int)a).ToArray();
            }
            int[][] assigned = [Read(0, 8), Read(1, 16)];

            // Every third image unlabelled (as the root files of a class-folder tree): scored on the others only.
            var partial = data.Labels!.Select((l, i) => i % 3 == 0 ? ImageDataset.Unlabelled : l).ToArray();
            using var partlyLabelled = new ImageDataset(data.Images.clone(), partial, data.Source);
            var keep = Enumerable.Range(0, data.Count).Where(i => i % 3 != 0).ToArray();

            foreach (var (train, indices) in new[] { (data, Enumerable.Range(0, data.Count).ToArray()), (partlyLabelled, keep) })
            {
                var json = EvaluationRunner.Run(Protocol.Cluster, dir, train, data, new EvaluationSettings());
                var levels = json["levels"]!.AsArray();
                Assert.Equal(2, levels.Count);
                Assert.Null(json["levels_note"]);
                Assert.Equal(2, json["checkpoint_epoch"]!.GetValue<int>());          // TinyRun.Options(): 2 epochs, finished
                Assert.Null(json["checkpoint_note"]);
                for (int m = 0; m < 2; m++)
                {
                    var labels = indices.Select(i => data.Labels![i]).ToArray();
                    var clusters = indices.Select(i => assigned[m][i]).ToArray();
                    Assert.Equal(m == 0 ? 8 : 16, levels[m]!["k"]!.GetValue<int>());
                    Assert.Equal(ClusteringMetrics.AdjustedMutualInformation(labels, clusters), levels[m]!["ami"]!.GetValue<double>(), 12);
                    Assert.Equal(ClusteringMetrics.NormalizedMutualInformation(labels, clusters), levels[m]!["nmi"]!.GetValue<double>(), 12);
                }
            }
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Should_LeaveTheLevelsUnscoredAndSayWhy_When_TheTrainingDataAreOtherImagesOfTheSameCount()
    {
        var dir = TinyRun.TempDir();
        try
        {
            using var data = TinyRun.Data();
            using (var trainer = new Trainer(TinyRun.Options(), data, new RunDirectory(dir))) trainer.Run();
            // As many labelled images, but the first and last swapped: the E-step's assignments do not index them.
            var order = Enumerable.Range(0, data.Count).ToArray();
            (order[0], order[^1]) = (order[^1], order[0]);
            using var swapped = new ImageDataset(data.Images.index_select(0, tensor(order.Select(i => (long)i).ToArray())),
                order.Select(i => data.Labels![i]).ToArray(), data.Source);

            var json = EvaluationRunner.Run(Protocol.Cluster, dir, swapped, data, new EvaluationSettings());

            Assert.Empty(json["levels"]!.AsArray());
            Assert.Contains("not the images the last E-step clustered", json["levels_note"]!.GetValue<string>());
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
