using ProtoCL.Tests.Data;
using ProtoCL.Reporting;

namespace ProtoCL.Tests.Reporting;

public class MetricsLogTests
{
    private const string ThreeEpochs =
        """
        {"epoch": 1, "loss": 6.5, "loss_instance": 6.5, "loss_proto": null, "acc_instance": 0.125, "acc_proto": null, "lr": 0.03, "images_per_second": 812.5, "seconds_train": 12.25, "seconds_estep": 0.0}
        {"epoch": 2, "loss": 5.0, "loss_instance": 4.5, "acc_instance": 0.25, "lr": 0.029, "images_per_second": 800, "seconds_train": 12, "seconds_estep": 0, "git": "abc", "extra": {"nested": [1, 2]}}

        {"epoch":3,"loss":7.75,"loss_instance":4.25,"loss_proto":3.5,"acc_instance":0.5,"acc_proto":0.375,"lr":0.0275,"images_per_second":790.0,"seconds_train":11.5,"seconds_estep":3.25,"levels":[100,200]}

        """;

    [Fact]
    public void Should_ParseAllEpochs_When_ProtoFieldsAreNullAbsentOrPresent()
    {
        using var dir = new TempFolder();
        var path = dir.File("metrics.jsonl");
        File.WriteAllText(path, ThreeEpochs);

        var m = MetricsLog.Read(path);

        Assert.Equal(3, m.Count);
        Assert.Equal(new MetricsLine(1, 6.5, 6.5, null, 0.125, null, 0.03, 812.5, 12.25, 0.0), m[0]);
        Assert.Equal(2, m[1].Epoch);
        Assert.Null(m[1].LossProto);
        Assert.Null(m[1].AccProto);
        Assert.Equal(800, m[1].ImagesPerSecond);
        Assert.Equal(new MetricsLine(3, 7.75, 4.25, 3.5, 0.5, 0.375, 0.0275, 790.0, 11.5, 3.25), m[2]);
    }

    [Fact]
    public void Should_ReadNaNGivenAsString_When_LossDiverged()
    {
        using var dir = new TempFolder();
        var path = dir.File("metrics.jsonl");
        File.WriteAllText(path, """{"epoch":1,"loss":"NaN","loss_instance":1,"loss_proto":null,"acc_instance":0,"acc_proto":null,"lr":0.1,"images_per_second":1,"seconds_train":1,"seconds_estep":0}""" + "\n");

        Assert.True(double.IsNaN(MetricsLog.Read(path)[0].Loss));
    }

    [Fact]
    public void Should_SkipCutShortLastLine_When_FileHasNoTrailingNewline()
    {
        using var dir = new TempFolder();
        var path = dir.File("metrics.jsonl");
        var firstLine = ThreeEpochs.Split('\n')[0];
        File.WriteAllText(path, firstLine + "\n" + """{"epoch": 2, "loss": 5.0, "loss_ins""");

        var m = MetricsLog.Read(path);

        Assert.Single(m);
        Assert.Equal(1, m[0].Epoch);
    }

    [Fact]
    public void Should_ThrowNamingTheLine_When_RequiredKeyIsMissing()
    {
        using var dir = new TempFolder();
        var path = dir.File("metrics.jsonl");
        var firstLine = ThreeEpochs.Split('\n')[0];
        File.WriteAllText(path, firstLine + "\n" + """{"epoch": 2, "loss": 5.0}""" + "\n");

        var e = Assert.Throws<InvalidDataException>(() => MetricsLog.Read(path));
        Assert.Contains(":2:", e.Message);
        Assert.Contains("loss_instance", e.Message);
    }
}
