using System.Globalization;
using ProtoCL.Tests.Data;

namespace ProtoCL.Tests.Cli;

/// <summary><c>protocl neighbours</c> through the real command.</summary>
[Collection("torch")]
public class NeighboursCliTests
{
    [Fact]
    public void Should_ListTheMostCosineSimilarImagesByANaiveLoop_When_QueryingRawPixels()
    {
        using var dir = new TempFolder();
        var csv = Path.Combine(dir.Path, "n.csv");
        var png = Path.Combine(dir.Path, "n.png");

        var r = CliProcess.Run(120, "neighbours", "--checkpoint", "raw", "--data", "embedded", "--limit", "200", "--query", "5", "--query", "17", "-k", "3", "--csv", csv, "--png", png);

        Assert.True(r.Code == 0, r.Output);
        // Independently: the embedded images' bytes, cosine of every pair by a plain loop (scale does not change a cosine).
        using var data = ProtoCL.Data.DatasetLoader.LoadEmbedded(200);
        var px = data.Images.data<byte>().ToArray();
        double Cos(int a, int b)
        {
            double dot = 0, na = 0, nb = 0;
            for (int d = 0; d < 784; d++) { dot += px[a * 784 + d] * px[b * 784 + d]; na += px[a * 784 + d] * px[a * 784 + d]; nb += px[b * 784 + d] * px[b * 784 + d]; }
            return dot / Math.Sqrt(na * nb);
        }
        var rows = File.ReadAllLines(csv);
        Assert.Equal("query,query_file,query_label,rank,index,file,label,cosine", rows[0]);
        Assert.Equal(7, rows.Length);
        string[] classes = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];
        int row = 1;
        foreach (int q in new[] { 5, 17 })
        {
            var ranked = Enumerable.Range(0, 200).Where(i => i != q).Select(i => (Index: i, Cos: Cos(q, i))).OrderByDescending(t => t.Cos).ThenBy(t => t.Index).ToArray();
            for (int rank = 1; rank <= 3; rank++, row++)
            {
                var f = rows[row].Split(',');
                Assert.Equal(q.ToString(CultureInfo.InvariantCulture), f[0]);
                Assert.Equal(classes[data.Labels![q]], f[2]);
                Assert.Equal(rank.ToString(CultureInfo.InvariantCulture), f[3]);
                int index = int.Parse(f[4], CultureInfo.InvariantCulture);
                double cos = double.Parse(f[7], CultureInfo.InvariantCulture);
                Assert.Equal(Cos(q, index), cos, 5);
                // The loop's image at this rank, unless it ties with the one listed (float32 against float64).
                Assert.True(index == ranked[rank - 1].Index || Math.Abs(ranked[rank - 1].Cos - cos) < 1e-5, $"query {q} rank {rank}: {index} listed, {ranked[rank - 1].Index} expected");
                Assert.Equal(classes[data.Labels![index]], f[6]);
            }
        }
        Assert.Contains($"image 5 {classes[data.Labels![5]]}:", r.Output);
        using var bitmap = Reporting.PngAssert.Valid(png);
    }

    [Fact]
    public void Should_NameImagesByFile_When_TheDataIsAFolder()
    {
        using var dir = new TempFolder();
        // Two classes; the bright images are alike, the dark ones too.
        dir.Write("images/light/a.png", SkiaImages.GrayPng(8, 8, (x, y) => (byte)(200 + x)));
        dir.Write("images/light/b.png", SkiaImages.GrayPng(8, 8, (x, y) => (byte)(201 + x)));
        dir.Write("images/dark/a.png", SkiaImages.GrayPng(8, 8, (x, y) => (byte)(x * 30)));
        dir.Write("images/dark/c.png", SkiaImages.GrayPng(8, 8, (x, y) => (byte)(x * 29)));
        var images = Path.Combine(dir.Path, "images");
        var csv = Path.Combine(dir.Path, "n.csv");

        var r = CliProcess.Run(120, "neighbours", "--checkpoint", "raw", "--data", images, "--query", "light/a.png", "--query", "c.png", "-k", "1", "--csv", csv);

        Assert.True(r.Code == 0, r.Output);
        var rows = File.ReadAllLines(csv);
        Assert.Equal(3, rows.Length);
        // Folder order: class folders by name (dark = 0, light = 1), files by name within each: dark/a, dark/c, light/a, light/b.
        string F(string c, string f) => Path.Combine(images, c, f);
        Assert.StartsWith($"2,{F("light", "a.png")},light,1,3,{F("light", "b.png")},light,", rows[1]);
        Assert.StartsWith($"1,{F("dark", "c.png")},dark,1,0,{F("dark", "a.png")},dark,", rows[2]);

        // A folder stands for every image in it: here a class folder of --data, so its images are --data's 2 and 3.
        var folder = CliProcess.Run(120, "neighbours", "--checkpoint", "raw", "--data", images, "--query", Path.Combine(images, "light"), "-k", "1", "--csv", csv, "--force");
        Assert.True(folder.Code == 0, folder.Output);
        var byFolder = File.ReadAllLines(csv);
        Assert.Equal(3, byFolder.Length);
        Assert.StartsWith($"2,{F("light", "a.png")},light,1,3,", byFolder[1]);
        Assert.StartsWith($"3,{F("light", "b.png")},light,1,2,", byFolder[2]);

        // The same folder named below --data, with an unreadable file in it that --on-bad-image skip leaves out of both.
        dir.Write("images/light/broken.png", [1, 2, 3]);
        var below = CliProcess.Run(120, "neighbours", "--checkpoint", "raw", "--data", images, "--on-bad-image", "skip", "--query", "light", "-k", "1", "--csv", csv, "--force");
        Assert.True(below.Code == 0, below.Output);
        Assert.Equal(byFolder, File.ReadAllLines(csv));
        File.Delete(Path.Combine(images, "light", "broken.png"));

        // a.png is in both classes: the command names both and writes nothing.
        File.Delete(csv);
        var ambiguous = CliProcess.Run(120, "neighbours", "--checkpoint", "raw", "--data", images, "--query", "a.png", "--csv", csv);
        Assert.Equal(2, ambiguous.Code);
        Assert.Contains("'a.png' names 2 images", ambiguous.Output);
        Assert.DoesNotContain("   at ", ambiguous.Output);
        Assert.False(File.Exists(csv));
    }

    [Fact]
    public void Should_FindTheSamePixelsFirst_When_TheQueryIsAnImageFileOutsideTheData()
    {
        using var dir = new TempFolder();
        using var data = ProtoCL.Data.DatasetLoader.LoadEmbedded(200);
        // Image 7 of the data, written out as a gray PNG: its nearest image in the data must be image 7, at cosine 1.
        var px = data.Images[7].bytes.ToArray();
        var file = dir.Write("seven.png", SkiaImages.GrayPng(28, 28, (x, y) => px[y * 28 + x]));
        var csv = Path.Combine(dir.Path, "n.csv");

        var png = Path.Combine(dir.Path, "n.png");

        var r = CliProcess.Run(120, "neighbours", "--checkpoint", "raw", "--data", "embedded", "--limit", "200", "--query", file, "--query", "150", "-k", "2", "--csv", csv, "--png", png);

        Assert.True(r.Code == 0, r.Output);
        Assert.Contains($"{file} (not in --data):", r.Output);
        Assert.Contains("  1. image 7 ", r.Output);                 // neighbours keep their index in --data
        Assert.Contains("image 150 ", r.Output);
        var rows = File.ReadAllLines(csv);
        Assert.Equal(5, rows.Length);
        Assert.StartsWith($",{file},,1,7,,", rows[1]);
        Assert.EndsWith(",1", rows[1]);
        Assert.StartsWith($",{file},,2,", rows[2]);
        Assert.StartsWith("150,,", rows[3]);
        Assert.StartsWith("150,,", rows[4]);
        using (Reporting.PngAssert.Valid(png)) { }

        // A random encoder, built once for --data and once for the outside file from the same seed: the same weights,
        // so the same pixels again give image 7 first at cosine 1.
        var random = CliProcess.Run(120, "neighbours", "--checkpoint", "random", "--seed", "3", "--data", "embedded", "--limit", "200", "--query", file, "-k", "1", "--csv", csv, "--force");
        Assert.True(random.Code == 0, random.Output);
        var first = File.ReadAllLines(csv)[1].Split(',');
        Assert.Equal("7", first[4]);
        Assert.Equal(1.0, double.Parse(first[7], CultureInfo.InvariantCulture), 5);

        // A folder of outside images: each is a query of its own, in the folder's order (files by name).
        var outsideFolder = Path.Combine(dir.Path, "new");
        dir.Write("new/b-seven.png", SkiaImages.GrayPng(28, 28, (x, y) => px[y * 28 + x]));
        var twelve = data.Images[12].bytes.ToArray();
        dir.Write("new/a-twelve.png", SkiaImages.GrayPng(28, 28, (x, y) => twelve[y * 28 + x]));
        dir.Write("new/notes.txt", "not an image"u8.ToArray());
        var folder = CliProcess.Run(120, "neighbours", "--checkpoint", "raw", "--data", "embedded", "--limit", "200", "--query", outsideFolder, "-k", "1", "--csv", csv, "--force");
        Assert.True(folder.Code == 0, folder.Output);
        var byFolder = File.ReadAllLines(csv);
        Assert.Equal(3, byFolder.Length);
        Assert.StartsWith($",{Path.Combine(outsideFolder, "a-twelve.png")},,1,12,", byFolder[1]);
        Assert.StartsWith($",{Path.Combine(outsideFolder, "b-seven.png")},,1,7,", byFolder[2]);

        var empty = Path.Combine(dir.Path, "empty");
        Directory.CreateDirectory(empty);
        var none = CliProcess.Run(120, "neighbours", "--checkpoint", "raw", "--data", "embedded", "--limit", "200", "--query", empty);
        Assert.Equal(2, none.Code);
        Assert.Contains($"the folder '{empty}' holds no images", none.Output);

        var missing = CliProcess.Run(120, "neighbours", "--checkpoint", "raw", "--data", "embedded", "--limit", "200", "--query", Path.Combine(dir.Path, "absent.png"));
        Assert.Equal(2, missing.Code);
        Assert.Contains("absent.png' an image file or a folder (no such file)", missing.Output);
    }
}
