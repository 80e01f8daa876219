using System.Text.Json;
using ProtoCL.Augmentation;
using ProtoCL.Data;
using ProtoCL.IO;
using ProtoCL.Model;
using ProtoCL.Training;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace ProtoCL.Tests.Training;

[Collection("torch")]
public class TrainerTests
{
    [Theory]
    [InlineData(Method.Pcl)]
    [InlineData(Method.Moco)]
    [InlineData(Method.Simclr)]
    [InlineData(Method.PclSimclr)]
    public void Should_WriteFiniteMetricsAndRunFiles_When_TrainingOneWarmupAndOnePclEpoch(Method method)
    {
        var dir = TinyRun.TempDir();
        using var data = TinyRun.Data();
        var run = new RunDirectory(dir);
        using (var trainer = new Trainer(TinyRun.Options(method: method), data, run)) trainer.Run();

        var rows = File.ReadAllLines(run.Metrics).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(2, rows.Length);
        Assert.All(rows, r => Assert.True(double.IsFinite(r.GetProperty("loss").GetDouble())));
        Assert.Equal(JsonValueKind.Null, rows[0].GetProperty("acc_proto").ValueKind);
        bool protos = method is Method.Pcl or Method.PclSimclr;
        Assert.Equal(protos ? JsonValueKind.Number : JsonValueKind.Null, rows[1].GetProperty("acc_proto").ValueKind);
        Assert.True(File.Exists(run.Config));
        Assert.Equal(2, Checkpoint.ReadMeta(run.Checkpoint).Epoch);
        Assert.Equal(protos, Directory.Exists(run.ClustersOfEpoch(2)));
        Directory.Delete(dir, true);
    }

    [Theory]
    [InlineData(false, 120)] // 5 steps x 64 keys = 320 = 200 + 120
    [InlineData(true, 40)]   // 5 steps x 2 x 64 keys = 640 = 3 x 200 + 40
    public void Should_EnqueueTheKeysOfEveryQueryView_When_SymmetricOrNot(bool symmetric, int pointer)
    {
        var dir = TinyRun.TempDir();
        using var data = TinyRun.Data();
        var run = new RunDirectory(dir);
        var options = TinyRun.Options(epochs: 1, method: Method.Moco) with { QueueSize = 200, Symmetric = symmetric };
        using (var t = new Trainer(options, data, run)) t.Run();
        Assert.Equal(pointer, Checkpoint.ReadMeta(run.Checkpoint).QueuePointer);
        Directory.Delete(dir, true);
    }

    [Theory]
    [InlineData(Method.Pcl)]
    [InlineData(Method.PclSimclr)]
    public void Should_ReportConsistentLossesAndAccuracies_When_PrototypeMethodIsSymmetric(Method method)
    {
        var dir = TinyRun.TempDir();
        using var data = TinyRun.Data();
        var run = new RunDirectory(dir);
        using (var t = new Trainer(TinyRun.Options(method: method) with { Symmetric = true }, data, run)) t.Run();
        var last = JsonDocument.Parse(File.ReadAllLines(run.Metrics)[^1]).RootElement;
        double loss = last.GetProperty("loss").GetDouble(), inst = last.GetProperty("loss_instance").GetDouble(), proto = last.GetProperty("loss_proto").GetDouble();
        Assert.Equal(loss, inst + proto, 4);
        Assert.InRange(last.GetProperty("acc_instance").GetDouble(), 0, 1);
        Assert.InRange(last.GetProperty("acc_proto").GetDouble(), 0, 1);
        Directory.Delete(dir, true);
    }

    [Theory]
    // 4 epochs, lr 0.03 (TinyRun). Step: x0.1 from epoch round(0.6 x 4) = round(2.4) = 2 and x0.01 from round(0.8 x 4) =
    // round(3.2) = 3 (0-based), so 0.03, 0.03, 0.003, 0.0003.
    [InlineData(LrSchedule.Step, new[] { 0.03, 0.03, 0.003, 0.0003 })]
    // Cosine: 0.03 x (1 + cos(pi e / 4)) / 2 for e = 0..3: cos = 1, sqrt(2)/2, 0, -sqrt(2)/2, so
    // 0.03, 0.015 x (1 + 0.70710678...) = 0.02560660..., 0.015, 0.015 x (1 - 0.70710678...) = 0.00439339...
    [InlineData(LrSchedule.Cosine, new[] { 0.03, 0.02560660171779821, 0.015, 0.004393398282201788 })]
    public void Should_WriteTheScheduledLearningRateOfEveryEpoch_When_Training(LrSchedule schedule, double[] expected)
    {
        var dir = TinyRun.TempDir();
        using var data = TinyRun.Data(64);                                   // one minibatch of 64 per epoch
        var run = new RunDirectory(dir);
        var options = TinyRun.Options(epochs: 4, method: Method.Moco) with { Schedule = schedule };
        using (var t = new Trainer(options, data, run)) t.Run();
        var lr = File.ReadAllLines(run.Metrics).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("lr").GetDouble()).ToArray();
        Assert.Equal(expected.Length, lr.Length);
        for (int e = 0; e < expected.Length; e++) Assert.Equal(expected[e], lr[e], 1e-12);
        Directory.Delete(dir, true);
    }

    [Theory]
    // One minibatch of 8 images, each a constant grey (0, 36, ..., 252), with the augmentation reduced to a full-area crop
    // (a crop of a constant image is the same constant image) and BatchNorm over the whole batch (one group, so the key
    // encoder's shuffled batch has the same statistics). In the first step the momentum encoder is the encoder, so each
    // query and its key are the same pixels through the same weights: cosine 1 up to rounding.
    // MoCo: the negatives are the queue's 128 random unit vectors in 128-d (KeyQueue: normalised randn), cosine to any
    // query ~ N(0, 1/128), far below 1: all 8 rows pick their key, acc_instance = 8 / 8 = 1; symmetric: both views are
    // queries once, 16 / 16 = 1 (dividing by the 8 images instead would give 2).
    [InlineData(Method.Moco, false)]
    [InlineData(Method.Moco, true)]
    // SimCLR: the two views of an image coincide, the negatives are the other 7 images' views (different greys, a lower
    // cosine for any encoder that tells them apart): 16 / 16 rows right, acc_instance 1 (dividing by 8 would give 2).
    [InlineData(Method.Simclr, false)]
    public void Should_ReportEveryRowRight_When_EachQueryMeetsItsOwnImageAsTheOnlyMatch(Method method, bool symmetric)
    {
        var dir = TinyRun.TempDir();
        var pixels = new byte[8 * 28 * 28];
        for (int i = 0; i < 8; i++) Array.Fill(pixels, (byte)(36 * i), i * 28 * 28, 28 * 28);
        using var data = new ImageDataset(TorchSharp.torch.tensor(pixels).view(8, 1, 28, 28), null, "constant greys");
        var run = new RunDirectory(dir);
        var options = TinyRun.Options(epochs: 1, warmup: 1, method: method) with
        {
            BatchSize = 8,
            Symmetric = symmetric,
            Encoder = new EncoderOptions { Arch = Architecture.ResNet18, Width = 4, BnGroups = 1 },
            Augmentation = new AugmentationOptions
            {
                CropScaleMin = 1, CropScaleMax = 1, Brightness = 0, Contrast = 0, JitterProbability = 0, FlipProbability = 0,
            },
        };
        using (var t = new Trainer(options, data, run)) t.Run();
        var row = JsonDocument.Parse(File.ReadAllLines(run.Metrics).Single()).RootElement;
        Assert.Equal(1.0, row.GetProperty("acc_instance").GetDouble());
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Should_ChangeOnlySimclrMethods_When_TheSecondViewIsShuffledAcrossBatchNormSlices()
    {
        // MoCo and PCL already shuffle their keys; --view-bn must leave their training exactly as it was (so their
        // runs made before the option compare equal), while SimCLR's second view then meets other BatchNorm slices.
        using var data = TinyRun.Data();
        double[] Losses(Method method, ViewBatchNorm mode)
        {
            var dir = TinyRun.TempDir();
            using (var t = new Trainer(TinyRun.Options(epochs: 1, method: method) with { ViewBatchNorm = mode }, data, new RunDirectory(dir))) t.Run();
            var losses = TinyRun.Losses(dir);
            Directory.Delete(dir, true);
            return losses;
        }
        Assert.Equal(Losses(Method.Moco, ViewBatchNorm.Same), Losses(Method.Moco, ViewBatchNorm.Shuffled));
        double same = Losses(Method.Simclr, ViewBatchNorm.Same).Single(), shuffled = Losses(Method.Simclr, ViewBatchNorm.Shuffled).Single();
        Assert.True(double.IsFinite(shuffled));
        Assert.NotEqual(same, shuffled);
    }

    [Fact]
    public void Should_PutEveryRowBack_When_ForwardingInAShuffledOrder()
    {
        // In eval mode BatchNorm uses its running statistics, so no row depends on its batch-mates: the shuffled pass
        // must give exactly the plain pass, row for row, whatever order it drew.
        manual_seed(3);
        using var enc = new ResNetEncoder(new EncoderOptions { Arch = Architecture.ResNet18, Width = 4, InChannels = 1, ImageSize = 28, BnGroups = 2 });
        enc.eval();
        using var x = randn(8, 1, 28, 28);                                   // [8, 1, 28, 28]
        using var gen = new Generator(5);
        using var plain = F.normalize(enc.forward(x), dim: 1);      // [8, Dim]
        using var shuffled = Trainer.ShuffledForward(enc, x, gen);          // [8, Dim]
        Assert.True(plain.allclose(shuffled, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void Should_NormaliseTwoIdenticalViewsDifferently_When_TheSecondPassesOtherSlices()
    {
        // Training mode, 2 slices: slice = row index mod 2. Two identical views in batch order meet the same slice
        // statistics and come out identical (the shared-slice cue); the shuffled pass gives each image the slice of
        // its position in the drawn order, so an image that moved to the other slice comes out different.
        manual_seed(3);
        using var enc = new ResNetEncoder(new EncoderOptions { Arch = Architecture.ResNet18, Width = 4, InChannels = 1, ImageSize = 28, BnGroups = 2 });
        enc.train();
        using var x = randn(8, 1, 28, 28);                                   // [8, 1, 28, 28]
        using var drawing = new Generator(5);
        using var order = randperm(8, generator: drawing);                   // [8]: the order the pass below draws
        using var gen = new Generator(5);
        using var again = F.normalize(enc.forward(x), dim: 1);      // [8, Dim]
        using var first = F.normalize(enc.forward(x), dim: 1);      // [8, Dim]
        using var shuffled = Trainer.ShuffledForward(enc, x, gen);               // [8, Dim]
        Assert.True(first.allclose(again, rtol: 1e-5, atol: 1e-6));
        long[] drawn = order.data<long>().ToArray();
        var moved = Enumerable.Range(0, 8).Where(i => Array.IndexOf(drawn, (long)i) % 2 != i % 2).ToArray();
        Assert.NotEmpty(moved);                                              // the seed's order moves some image
        foreach (int i in moved)
            Assert.False(first[i].allclose(shuffled[i], rtol: 1e-3, atol: 1e-4), $"image {i} moved slice but came out the same");
    }

    [Fact]
    public void Should_TrainPclSimclrAlike_When_SymmetricOrNot()
    {
        // PCL-SimCLR has no query view: its prototype term always takes both views, so --symmetric must change nothing
        // (before, it moved the term from one view to both and the losses differed).
        var a = TinyRun.TempDir();
        var b = TinyRun.TempDir();
        using var data = TinyRun.Data();
        using (var t = new Trainer(TinyRun.Options(method: Method.PclSimclr), data, new RunDirectory(a))) t.Run();
        using (var t = new Trainer(TinyRun.Options(method: Method.PclSimclr) with { Symmetric = true }, data, new RunDirectory(b))) t.Run();
        double[] one = TinyRun.Losses(a), both = TinyRun.Losses(b);
        Assert.Equal(2, one.Length);
        for (int i = 0; i < one.Length; i++) Assert.Equal(one[i], both[i], 6);
        Directory.Delete(a, true);
        Directory.Delete(b, true);
    }

    [Fact]
    public void Should_ReproduceUninterruptedMetrics_When_Resumed()
    {
        var a = TinyRun.TempDir();
        var b = TinyRun.TempDir();
        using var data = TinyRun.Data();
        using (var t = new Trainer(TinyRun.Options(epochs: 3), data, new RunDirectory(a))) t.Run();
        // Same settings (the schedule depends on the total epochs); the run is stopped after epoch 2, then resumed.
        using var stop = new CancellationTokenSource();
        using (var t = new Trainer(TinyRun.Options(epochs: 3), data, new RunDirectory(b), observer: new StopAfter(2, stop)))
            Assert.Throws<OperationCanceledException>(() => t.Run(stop.Token));
        Assert.Equal(2, Checkpoint.ReadMeta(Path.Combine(b, "checkpoint.pcl")).Epoch);
        using (var t = new Trainer(TinyRun.Options(epochs: 3), data, new RunDirectory(b), resume: true)) t.Run();
        var full = TinyRun.Losses(a);
        var resumed = TinyRun.Losses(b);
        Assert.Equal(3, resumed.Length);
        for (int i = 0; i < 3; i++)
            Assert.Equal(full[i], resumed[i], 6);
        Directory.Delete(a, true);
        Directory.Delete(b, true);
    }

    [Fact]
    public void Should_TrainNoFurther_When_RunIsCalledAgainAfterFinishing()
    {
        var dir = TinyRun.TempDir();
        using var data = TinyRun.Data();
        using (var t = new Trainer(TinyRun.Options(epochs: 2), data, new RunDirectory(dir)))
        {
            t.Run();
            var checkpoint = File.ReadAllBytes(Path.Combine(dir, "checkpoint.pcl"));
            t.Run();                                                         // finished: nothing more to do
            Assert.Equal([1, 2], t.History.Select(h => h.Epoch).ToArray());
            Assert.Equal(checkpoint, File.ReadAllBytes(Path.Combine(dir, "checkpoint.pcl")));
        }
        Assert.Equal(2, TinyRun.Losses(dir).Length);                          // metrics.jsonl: one line per epoch, no repeats
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Should_RefuseASecondHolder_When_ARunFolderIsLocked()
    {
        // flock locks belong to an open file, so a second open in this process meets the lock as another process would.
        var dir = TinyRun.TempDir();
        using (RunLock.Acquire(dir))
        {
            var e = Assert.Throws<IOException>(() => RunLock.Acquire(dir));
            Assert.Contains("is being trained by another process", e.Message);
        }
        using (RunLock.Acquire(dir)) { }                                      // released: free again
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Should_TrainOnTheFirstImagesOnly_When_TheOptionsSetALimit()
    {
        // 320 images given, Limit 128: the run records 128 images, the digest of the first 128, and 2 minibatches of 64.
        var dir = TinyRun.TempDir();
        using var data = TinyRun.Data(320);
        using var first = data.Slice(0, 128);
        var steps = new List<long>();
        using (var t = new Trainer(TinyRun.Options(epochs: 1) with { Limit = 128 }, data, new RunDirectory(dir), observer: new TotalSteps(steps)))
            t.Run();
        var meta = Checkpoint.ReadMeta(Path.Combine(dir, "checkpoint.pcl"));
        Assert.Equal(128, meta.ImageCount);
        Assert.Equal(first.ContentDigest, meta.DataDigest);
        Assert.Equal(2, steps.Max());
        Assert.Equal(320, data.Count);                                        // the caller's data is untouched
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Should_ThrowOperationCanceledAndRefuseToRunAgain_When_CancelledWithoutARunFolder()
    {
        using var data = TinyRun.Data();
        using var stop = new CancellationTokenSource();
        using var t = new Trainer(TinyRun.Options(epochs: 1, warmup: 1), data, null, observer: new CancelAtStage("epoch 1/1 train", stop));
        var e = Assert.Throws<OperationCanceledException>(() => t.Run(stop.Token));
        Assert.IsType<TrainingInterruptedException>(e.InnerException);
        Assert.Contains("no run folder, so nothing was saved", e.Message);
        Assert.Contains("new Trainer(..., resume: true)", Assert.Throws<InvalidOperationException>(() => t.Run()).Message);
    }

    [Fact]
    public void Should_RefuseClearly_When_ExtractingWithABadBatchSizeOrOtherChannels()
    {
        using var data = TinyRun.Data(8);                                    // 1-channel images
        using var encoder = new ProtoCL.Model.ResNetEncoder(new ProtoCL.Model.EncoderOptions { Width = 2, InChannels = 3, ImageSize = 28 });
        using var gray = new ProtoCL.Model.ResNetEncoder(new ProtoCL.Model.EncoderOptions { Width = 2, InChannels = 1, ImageSize = 28 });
        var plain = new ProtoCL.Augmentation.BatchAugmenter(new(), [0.5f], [0.25f]);
        Assert.Throws<ArgumentOutOfRangeException>(() => FeatureExtractor.Extract(gray, data, plain, FeatureKind.Backbone, batchSize: 0));
        var other = Assert.Throws<ArgumentException>(() => FeatureExtractor.Extract(encoder, data, plain, FeatureKind.Backbone));
        Assert.Contains("the encoder takes 3-channel images", other.Message);
        Assert.Throws<ArgumentException>(() => new ProtoCL.Augmentation.BatchAugmenter(new(), [0.5f], [0f]));
        Assert.Throws<ArgumentException>(() => new ProtoCL.Augmentation.BatchAugmenter(new(), [], []));
    }

    [Fact]
    public void Should_RefuseToTrainFurtherAndKeepTheCheckpoint_When_ItWasWrittenByAnotherTrainingRevision()
    {
        var dir = TinyRun.TempDir();
        using var data = TinyRun.Data();
        var run = new RunDirectory(dir);
        using (var t = new Trainer(TinyRun.Options(epochs: 1), data, run)) t.Run();
        // Rewrite the meta as a file from before revisions were recorded: without the "revision" field. Layout by hand:
        // 8-byte magic, int32 length, JSON meta, the tensors.
        var bytes = File.ReadAllBytes(run.Checkpoint);
        int len = BitConverter.ToInt32(bytes, 8);
        var meta = System.Text.Json.Nodes.JsonNode.Parse(bytes.AsSpan(12, len))!.AsObject();
        Assert.True(meta.Remove("revision"));
        var json = System.Text.Encoding.UTF8.GetBytes(meta.ToJsonString());
        var old = bytes[..8].Concat(BitConverter.GetBytes(json.Length)).Concat(json).Concat(bytes[(12 + len)..]).ToArray();
        File.WriteAllBytes(run.Checkpoint, old);

        var e = Assert.Throws<InvalidDataException>(() => new Trainer(TinyRun.Options(epochs: 2), data, run, resume: true));
        Assert.Contains("training revision 1, this build 5", e.Message);
        Assert.Equal(old, File.ReadAllBytes(run.Checkpoint));
        // A finished run is not trained further, so opening it stays allowed.
        using (var finished = new Trainer(TinyRun.Options(epochs: 1), data, run, resume: true)) finished.Run();
        Assert.Equal(old, File.ReadAllBytes(run.Checkpoint));
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Should_RefuseImagesOfAnotherSize_When_TheOptionsRecordALoadSize()
    {
        using var data = TinyRun.Data(64);                                 // 28 x 28
        var e = Assert.Throws<ArgumentException>(() => new Trainer(TinyRun.Options() with { LoadSize = 32 }, data, null));
        Assert.Contains("loaded at 32x32 (LoadSize), but embedded:fashion-mnist-test holds 28x28 images", e.Message);
        using var trainer = new Trainer(TinyRun.Options() with { LoadSize = 28 }, data, null); // the size it records: accepted
        Assert.Equal(28, trainer.Options.LoadSize);
    }

    [Fact]
    public void Should_RefuseToResumeAndKeepTheCheckpoint_When_TheImagesAreNotTheOnesTheRunTrainedOn()
    {
        var dir = TinyRun.TempDir();
        using var data = TinyRun.Data();
        var run = new RunDirectory(dir);
        using (var t = new Trainer(TinyRun.Options(epochs: 1), data, run)) t.Run();
        var before = File.ReadAllBytes(run.Checkpoint);

        // As many images, one pixel of the last one changed: the E-step's assignments would index other pictures.
        using var edited = new ImageDataset(data.Images.clone(), data.Labels, data.Source);
        edited.Images[data.Count - 1, 0, 14, 14] = tensor((byte)(data.Images[data.Count - 1, 0, 14, 14].item<byte>() ^ 0xFF));
        var e = Assert.Throws<ArgumentException>(() => new Trainer(TinyRun.Options(epochs: 2), edited, run, resume: true));
        Assert.Contains("not the same pixels", e.Message);
        // The same images in another order are other images too.
        using var reordered = new ImageDataset(data.Images.flip(0).contiguous(), data.Labels!.Reverse().ToArray(), data.Source);
        Assert.Throws<ArgumentException>(() => new Trainer(TinyRun.Options(epochs: 2), reordered, run, resume: true));
        // Fewer images.
        using var fewer = data.Take(data.Count - 1);
        e = Assert.Throws<ArgumentException>(() => new Trainer(TinyRun.Options(epochs: 2), fewer, run, resume: true));
        Assert.Contains($"{data.Count - 1}", e.Message);
        Assert.Equal(before, File.ReadAllBytes(run.Checkpoint));

        // A copy of the same pixels from elsewhere resumes.
        using var copy = new ImageDataset(data.Images.clone(), data.Labels, "another-path");
        using (var t = new Trainer(TinyRun.Options(epochs: 2), copy, run, resume: true)) t.Run();
        Assert.Equal(2, Checkpoint.ReadMeta(run.Checkpoint).Epoch);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Should_JudgeByTheCountAlone_When_ACheckpointRecordsNoImageDigest()
    {
        // Files written before the digest was recorded: the same number of images is all that can be checked.
        using var data = TinyRun.Data(10);
        using var edited = new ImageDataset(data.Images.clone(), data.Labels, data.Source);
        edited.Images[0, 0, 0, 0] = tensor((byte)(data.Images[0, 0, 0, 0].item<byte>() ^ 0xFF));
        var old = new CheckpointMeta { ImageCount = 10, Source = "embedded" };
        Assert.Null(old.OtherImagesReason(edited));
        using var fewer = data.Take(9);
        Assert.Contains("trained on 10 images", old.OtherImagesReason(fewer));
        var recorded = old with { DataDigest = data.ContentDigest };
        Assert.Null(recorded.OtherImagesReason(data));
        Assert.Contains("not the same pixels", recorded.OtherImagesReason(edited));
    }

    [Fact]
    public void Should_SayTheTestImagesWereTrainedOn_When_TheyBeginWithTheRunsImages()
    {
        // The run trained on the first 10 embedded images: test sets that begin with those 10 (all 10, or 30 whose first
        // 10 they are) were trained on; the same images shifted by one, or fewer than 10, were not.
        using var trained = TinyRun.Data(10);
        var meta = new CheckpointMeta { ImageCount = 10, Source = "embedded", Channels = 1, ImageSize = 28, DataDigest = trained.ContentDigest };
        using var same = TinyRun.Data(10);
        using var longer = TinyRun.Data(30);
        using var shifted = longer.Slice(1, 10);
        using var fewer = longer.Take(9);
        Assert.True(meta.TrainedOn(same));
        Assert.True(meta.TrainedOn(longer));
        Assert.False(meta.TrainedOn(shifted));
        Assert.False(meta.TrainedOn(fewer));
        Assert.False((meta with { DataDigest = null }).TrainedOn(same));    // nothing to compare against
    }

    [Fact]
    public void Should_ReadBatchOrderViews_When_ASimclrCheckpointComesFromRevision4()
    {
        // Revision 4 files carry no view setting; they trained both views in batch order, and must not read as
        // today's shuffled default (a reproduction would otherwise reuse such a run as if it were trained today).
        var dir = TinyRun.TempDir();
        using var data = TinyRun.Data();
        var run = new RunDirectory(dir);
        using (var t = new Trainer(TinyRun.Options(epochs: 1, method: Method.Simclr), data, run)) t.Run();
        Assert.Equal(ViewBatchNorm.Shuffled, Checkpoint.ReadMeta(run.Checkpoint).Options.ViewBatchNorm);
        // Layout by hand: 8-byte magic, int32 length, JSON meta, the tensors.
        var bytes = File.ReadAllBytes(run.Checkpoint);
        int len = BitConverter.ToInt32(bytes, 8);
        var meta = System.Text.Json.Nodes.JsonNode.Parse(bytes.AsSpan(12, len))!.AsObject();
        var options = meta["options"]!.AsObject();
        Assert.True(options.Remove(options.Select(p => p.Key).Single(k => k.Replace("_", "").Equals("viewbatchnorm", StringComparison.OrdinalIgnoreCase))));
        meta["revision"] = 4;
        var json = System.Text.Encoding.UTF8.GetBytes(meta.ToJsonString());
        File.WriteAllBytes(run.Checkpoint, bytes[..8].Concat(BitConverter.GetBytes(json.Length)).Concat(json).Concat(bytes[(12 + len)..]).ToArray());

        var read = Checkpoint.ReadMeta(run.Checkpoint);
        Assert.Equal(4, read.Revision);
        Assert.Equal(ViewBatchNorm.Same, read.Options.ViewBatchNorm);
        Directory.Delete(dir, true);
    }

    [Theory]
    [InlineData("E-step features")]
    [InlineData("level 1 (K")]
    public void Should_StopInsideTheEStepAndResumeExactly_When_CancelledThere(string stage)
    {
        var a = TinyRun.TempDir();
        var b = TinyRun.TempDir();
        using var data = TinyRun.Data();
        using (var t = new Trainer(TinyRun.Options(epochs: 3), data, new RunDirectory(a))) t.Run();
        using var stop = new CancellationTokenSource();
        var observer = new CancelAtStage("epoch 3/3 " + stage, stop);
        using (var t = new Trainer(TinyRun.Options(epochs: 3), data, new RunDirectory(b), observer: observer))
            Assert.Throws<OperationCanceledException>(() => t.Run(stop.Token));
        Assert.True(observer.Fired);
        Assert.Equal(2, Checkpoint.ReadMeta(Path.Combine(b, "checkpoint.pcl")).Epoch);       // epoch 2's checkpoint stands
        Assert.False(Directory.Exists(new RunDirectory(b).ClustersOfEpoch(3)));             // nothing of epoch 3 was saved
        using (var t = new Trainer(TinyRun.Options(epochs: 3), data, new RunDirectory(b), resume: true)) t.Run();
        Assert.Equal(TinyRun.Losses(a), TinyRun.Losses(b));
        Directory.Delete(a, true);
        Directory.Delete(b, true);
    }

    [Fact]
    public void Should_StopWithEpochAndStep_When_LossBecomesNaN()
    {
        var dir = TinyRun.TempDir();
        using var data = TinyRun.Data();
        var run = new RunDirectory(dir);
        using (var t = new Trainer(TinyRun.Options(epochs: 1), data, run)) t.Run();
        var before = File.ReadAllBytes(run.Checkpoint);
        using var diverging = new Trainer(TinyRun.Options(epochs: 2) with { LearningRate = 1e30 }, data, run, resume: true);
        var e = Assert.Throws<TrainingDivergedException>(() => diverging.Run());
        Assert.Contains("epoch 2", e.Message);
        Assert.Contains("step", e.Message);
        Assert.Equal(before, File.ReadAllBytes(run.Checkpoint)); // last good checkpoint kept
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Should_KeepPreviousCheckpoint_When_DiskIsFullDuringWrite()
    {
        var dir = TinyRun.TempDir();
        using var data = TinyRun.Data();
        var run = new RunDirectory(dir);
        using (var t = new Trainer(TinyRun.Options(epochs: 1), data, run)) t.Run();
        var before = File.ReadAllBytes(run.Checkpoint);
        var original = AtomicFile.OpenTemp;
        try
        {
            // The seam fails any file past 100 kB, as a full disk would (the checkpoint is larger; cluster files are smaller).
            AtomicFile.OpenTemp = p => new FullDiskStream(original(p), 100_000);
            using var t = new Trainer(TinyRun.Options(epochs: 2), data, run, resume: true);
            var e = Assert.Throws<IOException>(() => t.Run());
            Assert.Contains("No space left", e.Message);
            Assert.Contains("previous checkpoint", e.Message);
        }
        finally
        {
            AtomicFile.OpenTemp = original;
        }
        Assert.Equal(before, File.ReadAllBytes(run.Checkpoint));
        Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Should_RefuseCheckpoint_When_FileIsCutShort()
    {
        var dir = TinyRun.TempDir();
        using var data = TinyRun.Data();
        var run = new RunDirectory(dir);
        using (var t = new Trainer(TinyRun.Options(epochs: 1), data, run)) t.Run();
        var bytes = File.ReadAllBytes(run.Checkpoint);
        var cut = Path.Combine(dir, "cut.pcl");
        File.WriteAllBytes(cut, bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<InvalidDataException>(() => Checkpoint.ReadMeta(cut));
        Assert.Contains("cut short", e.Message);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Should_RestoreEveryTensor_When_CheckpointRoundTrips()
    {
        var dir = TinyRun.TempDir();
        using var data = TinyRun.Data();
        var run = new RunDirectory(dir);
        using var t = new Trainer(TinyRun.Options(epochs: 1), data, run);
        t.Run();
        using var copy = new Trainer(TinyRun.Options(epochs: 1), data, run, resume: true);
        foreach (var (x, y) in t.Encoder.state_dict().Values.Zip(copy.Encoder.state_dict().Values))
            Assert.True(x.eq(y).all().item<bool>());
        foreach (var (x, y) in t.KeyEncoder!.state_dict().Values.Zip(copy.KeyEncoder!.state_dict().Values))
            Assert.True(x.eq(y).all().item<bool>());
        Directory.Delete(dir, true);
    }
}

/// <summary>Requests cancellation once the given epoch has finished.</summary>
/// <summary>Cancels the first time a progress stage starting with <c>prefix</c> reports (the user's Ctrl-C at that moment).</summary>
internal sealed class CancelAtStage(string prefix, CancellationTokenSource cts) : ITrainingObserver
{
    public bool Fired { get; private set; }
    public void Progress(string stage, long done, long total, string? detail = null)
    {
        if (!Fired && stage.StartsWith(prefix, StringComparison.Ordinal)) { Fired = true; cts.Cancel(); }
    }
    public void EpochFinished(EpochMetrics metrics) { }
    public void Message(string text) { }
}

/// <summary>Records the total of every "epoch E/N train" progress report (the minibatches of an epoch).</summary>
internal sealed class TotalSteps(List<long> totals) : ITrainingObserver
{
    public void Progress(string stage, long done, long total, string? detail = null) { if (stage.EndsWith(" train", StringComparison.Ordinal)) totals.Add(total); }
    public void EpochFinished(EpochMetrics metrics) { }
    public void Message(string text) { }
}

internal sealed class StopAfter(int epoch, CancellationTokenSource cts) : ITrainingObserver
{
    public void Progress(string stage, long done, long total, string? detail = null) { }
    public void EpochFinished(EpochMetrics metrics) { if (metrics.Epoch >= epoch) cts.Cancel(); }
    public void Message(string text) { }
}

/// <summary>A stream that throws "No space left on device" once more than <c>limit</c> bytes were written.</summary>
internal sealed class FullDiskStream(Stream inner, long limit) : Stream
{
    private long _written;
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _written;
    public override long Position { get => _written; set => throw new NotSupportedException(); }
    public override void Flush() => inner.Flush();
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count)
    {
        if (_written + count > limit) throw new IOException("No space left on device");
        inner.Write(buffer, offset, count);
        _written += count;
    }
    protected override void Dispose(bool disposing) { if (disposing) inner.Dispose(); base.Dispose(disposing); }
}
