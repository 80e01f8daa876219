using static TorchSharp.torch;

namespace ProtoCL.Tests;

public class TorchLoadsTests
{
    [Fact]
    public void Should_InitialiseTorch_When_NativeLibraryIsPatched()
    {
        // 1+2+3+4 computed by hand; fails with TypeInitializationException if libLibTorchSharp cannot load.
        using var t = tensor(new float[] { 1, 2, 3, 4 });
        Assert.Equal(10f, t.sum().item<float>());
    }
}
