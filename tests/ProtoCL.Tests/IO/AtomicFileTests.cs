using ProtoCL.IO;

namespace ProtoCL.Tests.IO;

public class AtomicFileTests
{
    [Fact]
    public void Should_RemoveOnlyTempFilesOfDeadProcesses_When_CleaningARunFolder()
    {
        var dir = Training.TinyRun.TempDir();
        // 999999999 is above Linux's largest pid (2^22), so no process has it.
        string Write(string rel, string text = "x") { var p = Path.Combine(dir, rel); Directory.CreateDirectory(Path.GetDirectoryName(p)!); File.WriteAllText(p, text); return p; }
        var deadCheckpoint = Write(".checkpoint.pcl.999999999.tmp");
        var deadClusters = Write("clusters/epoch-0002/.assignments_0.npy.999999999.tmp");
        var ours = Write($".metrics.jsonl.{Environment.ProcessId}.tmp");
        var target = Write("checkpoint.pcl", "intact");
        var notOurs = Write(".editor-swap.tmp");
        var noPid = Write(".checkpoint.pcl.abc.tmp");

        var removed = AtomicFile.RemoveStale(dir);

        Assert.Equal(new[] { deadCheckpoint, deadClusters }.Order(), removed.Order());
        Assert.False(File.Exists(deadCheckpoint));
        Assert.False(File.Exists(deadClusters));
        Assert.True(File.Exists(ours));
        Assert.True(File.Exists(notOurs));
        Assert.True(File.Exists(noPid));
        Assert.Equal("intact", File.ReadAllText(target));
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Should_LeaveOldFileAndNoTemp_When_WriteThrows()
    {
        var dir = Training.TinyRun.TempDir();
        var path = Path.Combine(dir, "f.txt");
        File.WriteAllText(path, "old");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s => { s.Write("new, half"u8); throw new InvalidOperationException("fail"); }));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal(new[] { path }, Directory.GetFiles(dir));
        Directory.Delete(dir, true);
    }
    [Fact]
    public void Should_WriteThroughASymlink_When_ThePathIsALinkToAFile()
    {
        var dir = Directory.CreateTempSubdirectory("protocl-link-").FullName;
        var target = Path.Combine(dir, "target.csv");
        var link = Path.Combine(dir, "link.csv");
        File.WriteAllText(target, "old");
        File.CreateSymbolicLink(link, target);

        AtomicFile.WriteAllText(link, "new");

        Assert.Equal("new", File.ReadAllText(target));
        Assert.NotNull(new FileInfo(link).LinkTarget);                        // still a link, to the same file
        Directory.Delete(dir, true);
    }
    [Fact]
    public void Should_WriteAFileWhoseNameIsNearTheLimit_When_ItsTemporaryNameWouldBeLonger()
    {
        // 251 bytes + ".json" = 255, the most a name may have; ".NAME.PID.tmp" would be over it unshortened.
        var dir = Directory.CreateTempSubdirectory("protocl-long-").FullName;
        var path = Path.Combine(dir, new string('a', 250) + ".json");
        AtomicFile.WriteAllText(path, "{}");
        Assert.Equal("{}", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(dir));                               // no temporary file left
        var tmp = AtomicFile.TempName("é" + new string('b', 300));
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(tmp) <= 255);
        Assert.EndsWith($".{Environment.ProcessId}.tmp", tmp);
        Directory.Delete(dir, true);
    }
}
