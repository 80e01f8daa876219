using ProtoCL.Reporting;
using ProtoCL.Tests.Training;
using ProtoCL.Training;

namespace ProtoCL.Tests.Reporting;

/// <summary><see cref="RunReport"/> through the library call, on tiny PCL runs trained on an IDX file.</summary>
[Collection("torch")]
public class RunReportTests
{
    [Fact]
    public void Should_LeaveThePrototypeGridsOutAndSayWhy_When_TheTrainingFileNowHoldsOtherPixels()
    {
        var dir = TinyRun.TempDir();
        var file = Path.Combine(dir, "images-idx3-ubyte");
        using (var embedded = ProtoCL.Data.DatasetLoader.LoadEmbedded(320))
        {
            var pixels = embedded.Images.data<byte>().ToArray();
            File.WriteAllBytes(file, Data.IdxBytes.Images(320, 28, 28, pixels));
            var run = Path.Combine(dir, "run");
            using (var data = ProtoCL.Data.DatasetLoader.Load(file))
            using (var t = new Trainer(TinyRun.Options(), data, new RunDirectory(run))) t.Run(); // warm-up, then one PCL epoch (K = 8, 16)

            RunReport.Write(run, null, new RunReportOptions());
            Assert.True(File.Exists(Path.Combine(run, "prototypes-k16.png")));
            File.Delete(Path.Combine(run, "prototypes-k8.png"));
            File.Delete(Path.Combine(run, "prototypes-k16.png"));

            // The same file, as many images, one pixel rewritten: the grids would show other pictures than the E-step placed.
            pixels[5 * 784 + 300] ^= 0xFF;
            File.WriteAllBytes(file, Data.IdxBytes.Images(320, 28, 28, pixels));
            var html = File.ReadAllText(RunReport.Write(run, null, new RunReportOptions()));

            Assert.Contains("The training images have changed since the run", html);
            Assert.Contains("not the same pixels in the same order", html);
            Assert.False(File.Exists(Path.Combine(run, "prototypes-k8.png")));
            Assert.False(File.Exists(Path.Combine(run, "prototypes-k16.png")));
        }
        Directory.Delete(dir, true);
    }
}
