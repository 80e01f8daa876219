using ProtoCL.Tests.Data;
using ProtoCL.Reporting;

namespace ProtoCL.Tests.Reporting;

public class EvaluationFileTests
{
    [Fact]
    public void Should_ReadLowShotAccuracyAndMapByK_When_TheFileIsALowShotEvaluation()
    {
        using var dir = new TempFolder();
        File.WriteAllText(dir.File("l.json"), """
            {"protocol": "lowshot", "checkpoint": "runs/mine/", "seed": 0,
             "results": {"16": {"accuracy_mean": 0.75, "accuracy_std": 0.004, "map_mean": 0.77, "map_std": 0.01},
                         "1": {"accuracy_mean": 0.5, "accuracy_std": 0.05, "map_mean": 0.52, "map_std": 0.06}}}
            """);

        var e = EvaluationFile.Read(dir.File("l.json"));

        Assert.Equal("lowshot", e.Protocol);
        Assert.Equal("mine", e.CheckpointName);
        Assert.Equal(new[] { 1, 16 }, e.LowShot().Keys);
        Assert.Equal((0.5, 0.05), e.LowShot()[1]);
        Assert.Equal((0.77, 0.01), e.LowShotMap()[16]);
        Assert.True(double.IsNaN(e.Get("accuracy")));
    }

    [Fact]
    public void Should_ReadTopLevelNumbers_When_TheFileIsAClusterEvaluation()
    {
        using var dir = new TempFolder();
        File.WriteAllText(dir.File("c.json"), """{"protocol": "cluster", "checkpoint": "raw", "ami": 0.6, "nmi": 0.61, "accuracy": 0.55}""");
        var e = EvaluationFile.Read(dir.File("c.json"));
        Assert.Equal("raw", e.CheckpointName);
        File.WriteAllText(dir.File("r.json"), """{"protocol": "knn", "checkpoint": "random:runs/mine", "accuracy": 0.6}""");
        Assert.Equal("random", EvaluationFile.Read(dir.File("r.json")).CheckpointName); // not the run whose architecture it borrows
        Assert.Equal(0.6, e.Get("ami"));
        Assert.Empty(e.LowShot());
    }

    [Fact]
    public void Should_ReadEachPercentageInOrder_When_TheFileIsAFineTuningEvaluation()
    {
        using var dir = new TempFolder();
        File.WriteAllText(dir.File("f.json"), """
            {"protocol": "finetune", "checkpoint": "runs/mine", "results": {
              "10": {"accuracy": 0.85, "top5_accuracy": 0.99, "labelled_images": 6000},
              "0.5": {"accuracy": 0.7, "top5_accuracy": 0.95, "labelled_images": 300}}}
            """);
        var e = EvaluationFile.Read(dir.File("f.json"));
        Assert.Equal([(0.5, 0.7, 0.95, 300), (10.0, 0.85, 0.99, 6000)], e.FineTune());
        Assert.Empty(e.LowShot());
    }

    [Theory]
    [InlineData("""{"protocol": "finetune", "results": {}}""", "no fine-tuning results")]
    [InlineData("""{"protocol": "umap"}""", "not a protocl eval JSON")]
    [InlineData("""[1, 2]""", "not a protocl eval JSON")]
    [InlineData("""{"protocol": "lowshot", "results": {}}""", "no low-shot results")]
    [InlineData("""{"protocol": """, "not valid JSON")]
    public void Should_RefuseWithOneLine_When_TheFileIsNotAnEvaluation(string text, string expected)
    {
        using var dir = new TempFolder();
        File.WriteAllText(dir.File("x.json"), text);
        var e = Assert.Throws<InvalidDataException>(() => EvaluationFile.Read(dir.File("x.json")));
        Assert.Contains(expected, e.Message);
        Assert.Throws<FileNotFoundException>(() => EvaluationFile.Read(dir.File("missing.json")));
    }
}
