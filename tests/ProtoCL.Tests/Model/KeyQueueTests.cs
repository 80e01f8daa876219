using ProtoCL.Model;
using static TorchSharp.torch;

namespace ProtoCL.Tests.Model;

public class KeyQueueTests
{
    [Fact]
    public void Should_WrapAround_When_BatchRunsPastTheEnd()
    {
        using var queue = new KeyQueue(zeros(1, 5), 0); // D = 1, r = 5 (no divisibility with batch 3)
        queue.Enqueue(tensor(new float[] { 1, 2, 3 }).view(3, 1));
        queue.Enqueue(tensor(new float[] { 4, 5, 6 }).view(3, 1));
        // positions: 1,2,3 at 0..2; 4,5 at 3..4; 6 wraps to 0 -> [6, 2, 3, 4, 5], pointer 1
        Assert.Equal(new float[] { 6, 2, 3, 4, 5 }, queue.Keys.data<float>().ToArray());
        Assert.Equal(1, queue.Pointer);
    }

    [Fact]
    public void Should_KeepNewestKeys_When_BatchIsLargerThanQueue()
    {
        using var queue = new KeyQueue(zeros(1, 3), 2);
        queue.Enqueue(tensor(new float[] { 1, 2, 3, 4, 5 }).view(5, 1));
        // only 3,4,5 survive, written from position 2: [4, 5, 3], pointer back at 2
        Assert.Equal(new float[] { 4, 5, 3 }, queue.Keys.data<float>().ToArray());
        Assert.Equal(2, queue.Pointer);
    }
}
