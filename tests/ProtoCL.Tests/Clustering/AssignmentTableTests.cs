using ProtoCL.Clustering;
using ProtoCL.Data;
using static TorchSharp.torch;

namespace ProtoCL.Tests.Clustering;

public class AssignmentTableTests
{
    [Fact]
    public void Should_WriteOneQuotedRowPerImage_When_FilesHoldCommasAndQuotes()
    {
        using var data = new ImageDataset(zeros([3, 1, 2, 2], ScalarType.Byte), [1, ImageDataset.Unlabelled, 0], "folder", ["cat", "dog"])
        {
            Files = ["/d/dog/a,b.png", "/d/loose \"x\".png", "/d/cat/c.png"],
        };
        var levels = new[]
        {
            new LevelAssignment(2, [1, 0, 1], [0.5f, 0.25f, 1f]),
            new LevelAssignment(4, [3, 2, 0], [0.125f, -0.5f, 0.75f]),
        };

        var csv = AssignmentTable.Format(data, levels);

        Assert.Equal(
            "index,file,label,level0_k2,level0_k2_cosine,level1_k4,level1_k4_cosine\n" +
            "0,\"/d/dog/a,b.png\",dog,1,0.5,3,0.125\n" +
            "1,\"/d/loose \"\"x\"\".png\",,0,0.25,2,-0.5\n" +
            "2,/d/cat/c.png,cat,1,1,0,0.75\n", csv);
    }

    [Fact]
    public void Should_LeaveFileAndLabelEmpty_When_TheDataHasNeither()
    {
        using var data = new ImageDataset(zeros([2, 1, 2, 2], ScalarType.Byte), null, "idx");
        var csv = AssignmentTable.Format(data, [new LevelAssignment(3, [2, 0], [0.5f, 0.75f])]);
        Assert.Equal("index,file,label,level0_k3,level0_k3_cosine\n0,,,2,0.5\n1,,,0,0.75\n", csv);
    }

    [Fact]
    public void Should_Throw_When_ALevelHasAnotherNumberOfImages()
    {
        using var data = new ImageDataset(zeros([2, 1, 2, 2], ScalarType.Byte), null, "idx");
        Assert.Throws<ArgumentException>(() => AssignmentTable.Format(data, [new LevelAssignment(3, [2], [0.5f])]));
    }
}
