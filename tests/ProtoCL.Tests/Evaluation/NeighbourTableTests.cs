using ProtoCL.Data;
using ProtoCL.Evaluation;
using static TorchSharp.torch;

namespace ProtoCL.Tests.Evaluation;

public class NeighbourTableTests
{
    [Fact]
    public void Should_WriteOneRowPerNeighbourWithFilesAndLabels_When_FormattingNeighbourLists()
    {
        using var data = new ImageDataset(zeros(3, 1, 1, 1, ScalarType.Byte), [0, ImageDataset.Unlabelled, 1], "/p", ["cat", "dog, big"])
        {
            Files = ["/p/cat/1.png", "/p/2.png", "/p/dog, big/\"3\".png"],
        };
        NeighbourList[] lists = [new(2, [0, 1], [0.5f, -0.25f]), new(1, [], [])];

        var csv = NeighbourTable.Format(data, lists);

        Assert.Equal(
            "query,query_file,query_label,rank,index,file,label,cosine\n" +
            "2,\"/p/dog, big/\"\"3\"\".png\",\"dog, big\",1,0,/p/cat/1.png,cat,0.5\n" +
            "2,\"/p/dog, big/\"\"3\"\".png\",\"dog, big\",2,1,/p/2.png,,-0.25\n", csv);
    }

    [Fact]
    public void Should_LeaveFileAndLabelEmpty_When_TheDataHasNeither()
    {
        using var data = new ImageDataset(zeros(2, 1, 1, 1, ScalarType.Byte), null, "idx");
        Assert.Equal("query,query_file,query_label,rank,index,file,label,cosine\n1,,,1,0,,,1\n",
            NeighbourTable.Format(data, [new NeighbourList(1, [0], [1f])]));
    }

    [Fact]
    public void Should_NumberImagesByTheirSearchedIndexAndLeaveOutsideQueriesEmpty_When_GivenIndices()
    {
        // Three images gathered from a larger set: searched images 40 and 7, then a query from outside it (-1).
        using var data = new ImageDataset(zeros(3, 1, 1, 1, ScalarType.Byte), [0, 1, ImageDataset.Unlabelled], "d", ["a", "b"])
        {
            Files = ["", "", "/elsewhere/q.png"],
        };
        Assert.Equal("query,query_file,query_label,rank,index,file,label,cosine\n" +
                     ",/elsewhere/q.png,,1,7,,b,0.75\n" +
                     "40,,a,1,7,,b,0.5\n",
            NeighbourTable.Format(data, [new NeighbourList(2, [1], [0.75f]), new NeighbourList(0, [1], [0.5f])], [40, 7, -1]));
        Assert.Throws<ArgumentException>(() => NeighbourTable.Format(data, [], [40, 7]));
    }
}
