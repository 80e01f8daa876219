using System.Text.Json;
using ProtoCL.Evaluation;
using ProtoCL.Tests.Data;

namespace ProtoCL.Tests.Cli;

/// <summary><c>--image-size</c> through the real commands: a folder of photo-shaped images trained at 8 x 8, and every later
/// command reading the folder at the size the run recorded.</summary>
[Collection("torch")]
public class ImageSizeCliTests
{
    [Fact]
    public void Should_TrainAtTheGivenSizeAndReadFoldersSoAfterwards_When_ImageSizeIsGiven()
    {
        var dir = Training.TinyRun.TempDir();
        using var folder = new TempFolder();
        var photos = folder.Path;
        for (int i = 0; i < 16; i++) // landscape and portrait colour images of two classes, none square
        {
            int seed = i;
            var (w, h) = i % 2 == 0 ? (30, 20) : (18, 27);
            folder.Write($"{(i < 8 ? "a" : "b")}/{i:D2}.png", SkiaImages.Encode(w, h, (x, y) => ((byte)(seed * 13 + x * 5), (byte)(y * 7), (byte)(seed < 8 ? 40 : 200))));
        }
        var run = Path.Combine(dir, "run");

        var train = CliProcess.Run(300, "train", "--data", photos, "--image-size", "8", "--width", "2", "--arch", "resnet18", "--batch-size", "8",
            "--bn-groups", "2", "--queue", "16", "--clusters", "2,4", "--epochs", "1", "--warmup-epochs", "1", "--threads", "2", "--out", run);

        Assert.True(train.Code == 0, train.Output);
        Assert.Contains("on 16 images (3x8x8)", train.Output);
        // The runtime's 300 MB dominate: a step of 8 images x 1,200 convolution outputs x 22 B is 0.2 MB, the parameters
        // (11,250 in the backbone and 2,176 in the 16 -> 128 head, four copies of 4 B) 0.2 MB.
        Assert.Contains("memory: about 0.30 GB beyond the images, estimated from the settings (a training step: 0.00 GB)", train.Output);
        Assert.DoesNotContain("note: training at", train.Output);
        using (var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "config.json"))))
            Assert.Equal(8, config.RootElement.GetProperty("options").GetProperty("load_size").GetInt32());
        Assert.Equal(8, FeatureSource.LoadSizeOf(run));
        Assert.Equal(8, FeatureSource.LoadSizeOf("random:" + run));
        Assert.Null(FeatureSource.LoadSizeOf("raw"));

        // Without --image-size the folder is read at the run's 8 x 8 (its own first image is 30 x 20).
        var npy = Path.Combine(dir, "f.npy");
        var embed = CliProcess.Run(120, "embed", "--checkpoint", run, "--data", photos, "--out", npy);
        Assert.True(embed.Code == 0, embed.Output);
        Assert.Contains("16 x 16 float32", embed.Output);                     // width 2: 16 backbone features
        var raw = CliProcess.Run(120, "embed", "--checkpoint", "raw", "--data", photos, "--out", npy, "--force");
        Assert.True(raw.Code == 0, raw.Output);
        Assert.Contains("16 x 1800 float32", raw.Output);                     // raw pixels at the first image's 3 x 20 x 30
        var other = CliProcess.Run(120, "embed", "--checkpoint", run, "--data", photos, "--image-size", "10", "--out", npy, "--force");
        Assert.Equal(2, other.Code);
        Assert.Contains("trained on 3-channel images whose longer side is 8 px; the data has 3-channel 10x10 images (an image folder is read at 8 x 8 with --image-size 8)", other.Output);

        var resume = CliProcess.Run(120, "train", "--data", photos, "--image-size", "12", "--epochs", "2", "--out", run, "--resume");
        Assert.Equal(2, resume.Code);
        Assert.Contains("load_size: 8 -> 12", resume.Output);
        var resumed = CliProcess.Run(300, "train", "--epochs", "2", "--out", run, "--resume"); // the recorded size, without repeating it
        Assert.True(resumed.Code == 0, resumed.Output);
        Assert.Contains("on 16 images (3x8x8)", resumed.Output);

        // report without --data maps the images the run trained on, its folder read at the recorded 8 x 8.
        var report = CliProcess.Run(300, "report", "--run", run, "--neighbours", "3");
        Assert.True(report.Code == 0, report.Output);
        Assert.Contains("note: no --data: reading up to 5,000 of the images the run trained on, from ", report.Output);
        Assert.Contains("computing the backbone features of the 16 images of ", report.Output);
        foreach (var png in new[] { "pca.png", "neighbours.png" }) Assert.True(File.Exists(Path.Combine(run, png)), $"{png} missing");
        Assert.Contains("these 16 images are the images the run trained on", File.ReadAllText(Path.Combine(run, "index.html")));

        // The folder moved away: the report is still written, says why the map is missing, and removes the old map.
        Directory.Move(photos, photos + "-moved");
        try
        {
            var gone = CliProcess.Run(300, "report", "--run", run);
            Assert.True(gone.Code == 0, gone.Output);
            Assert.Contains("note: the map and the neighbour picture are left out: no --data, and the images the run trained on (", gone.Output);
            var html = File.ReadAllText(Path.Combine(run, "index.html"));
            Assert.Contains("The nearest-neighbour picture and the feature map are left out: no --data, and the images the run trained on (", html);
            Assert.Contains("are not found; pass --data with their path or with other images.", html);
            foreach (var png in new[] { "pca.png", "neighbours.png" }) Assert.False(File.Exists(Path.Combine(run, png)), $"{png} kept");
            Assert.True(File.Exists(Path.Combine(run, "curves.png")));
        }
        finally
        {
            Directory.Move(photos + "-moved", photos);
        }
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Should_RecordExifOrientationAndReadFoldersSoAfterwards_When_Asked()
    {
        // 16 photos stored 32 x 16 with orientation 6 (turned 90 degrees clockwise upright, so 16 x 32).
        var dir = Training.TinyRun.TempDir();
        using var folder = new TempFolder();
        for (int i = 0; i < 16; i++)
            folder.Write($"{(i < 8 ? "a" : "b")}/{i:D2}.jpg", ExifOrientationTests.JpegWithOrientation(6));
        var run = Path.Combine(dir, "run");
        var train = CliProcess.Run(300, "train", "--data", folder.Path, "--exif-orientation", "--width", "2", "--arch", "resnet18", "--batch-size", "8",
            "--bn-groups", "2", "--queue", "16", "--epochs", "1", "--warmup-epochs", "1", "--method", "moco", "--threads", "2", "--out", run);
        Assert.True(train.Code == 0, train.Output);
        Assert.Contains("on 16 images (1x32x16)", train.Output);             // C x H x W: upright, taller than wide
        using (var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "config.json"))))
            Assert.True(config.RootElement.GetProperty("options").GetProperty("exif_orientation").GetBoolean());

        // Later commands read the folder upright without the flag; raw pixels without it read it as stored.
        var npy = Path.Combine(dir, "f.npy");
        var embed = CliProcess.Run(120, "embed", "--checkpoint", run, "--data", folder.Path, "--out", npy);
        Assert.True(embed.Code == 0, embed.Output);
        var asked = CliProcess.Run(120, "embed", "--checkpoint", run, "--data", folder.Path, "--exif-orientation", "--out", npy + "2");
        Assert.True(asked.Code == 0, asked.Output);
        Assert.Equal(File.ReadAllBytes(npy + "2"), File.ReadAllBytes(npy));  // the same pixels as when asked for explicitly
        var raw = CliProcess.Run(120, "embed", "--checkpoint", "raw", "--data", folder.Path, "--out", npy, "--force");
        Assert.True(raw.Code == 0, raw.Output);
        Assert.Contains("16 x 512 float32", raw.Output);
        var rawUpright = CliProcess.Run(120, "embed", "--checkpoint", "raw", "--data", folder.Path, "--exif-orientation", "--out", npy + "3");
        Assert.True(rawUpright.Code == 0, rawUpright.Output);
        // Row 0 of the stored image is A then B (block grays 30, 90); upright (turned 90 degrees clockwise) it is C then A.
        using (var stored = ProtoCL.IO.Npy.Read(npy))
        using (var upright = ProtoCL.IO.Npy.Read(npy + "3"))
        {
            Assert.InRange(stored[0, 0].item<float>() * 255, 26, 34);           // stored (0, 0): A = 30
            Assert.InRange(stored[0, 31].item<float>() * 255, 86, 94);          // stored (31, 0): B = 90
            Assert.InRange(upright[0, 0].item<float>() * 255, 156, 164);        // upright (0, 0): C = 160
            Assert.InRange(upright[0, 15].item<float>() * 255, 26, 34);         // upright (15, 0): A = 30
        }
        var refused = CliProcess.Run(120, "embed", "--checkpoint", "raw", "--data", "embedded", "--limit", "10", "--exif-orientation", "--out", npy, "--force");
        Assert.Equal(2, refused.Code);
        Assert.Contains("embedded is not an image folder", refused.Output);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Should_SuggestImageSize_When_TrainingAtALargeFirstImageSize()
    {
        var dir = Training.TinyRun.TempDir();
        using var folder = new TempFolder();
        for (int i = 0; i < 4; i++)
            folder.Write($"{i}.png", SkiaImages.GrayPng(300, 200, (x, y) => (byte)(x + y + 40 * i)));

        var r = CliProcess.Run(300, "train", "--data", folder.Path, "--width", "2", "--arch", "resnet18", "--batch-size", "4", "--bn-groups", "2",
            "--queue", "8", "--clusters", "2", "--epochs", "1", "--warmup-epochs", "1", "--threads", "2", "--out", Path.Combine(dir, "run"));

        Assert.True(r.Code == 0, r.Output);
        Assert.Contains("note: training at 300x200, the size of the first image; --image-size", r.Output);
        Directory.Delete(dir, true);
    }
}
