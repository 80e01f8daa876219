using System.Text.Json.Nodes;
using ProtoCL.Reporting;
using ProtoCL.Tests.Training;

namespace ProtoCL.Tests.Cli;

/// <summary><c>protocl eval all</c> through the real command.</summary>
[Collection("torch")]
public class EvalCliTests
{
    [Fact]
    public void Should_WriteOneJsonPerProtocolEqualToTheSingleCommands_When_EvaluatingAll()
    {
        var dir = TinyRun.TempDir();
        string[] data = ["--train-data", "embedded", "--test-data", "embedded", "--limit", "300", "--seed", "2"];
        var r = CliProcess.Run(300, ["eval", "all", "--checkpoint", "raw", .. data, "--json-dir", Path.Combine(dir, "all")]);
        Assert.True(r.Code == 0, r.Output);
        foreach (var protocol in EvaluationFile.Protocols)
        {
            var file = EvaluationFile.Read(Path.Combine(dir, "all", protocol + ".json")); // what `report --eval` reads
            Assert.Equal(protocol, file.Protocol);
            Assert.Equal(2, file.Json["seed"]!.GetValue<int>());
            Assert.Equal(300, file.Json["train_images"]!.GetValue<int>());
        }
        // The same numbers as `eval knn` and `eval cluster` on their own (each extracts the features itself).
        foreach (var protocol in new[] { "knn", "cluster" })
        {
            var single = Path.Combine(dir, protocol + "-single.json");
            var s = CliProcess.Run(300, ["eval", protocol, "--checkpoint", "raw", .. data, "--json", single]);
            Assert.True(s.Code == 0, s.Output);
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(File.ReadAllText(single)), JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "all", protocol + ".json")))), protocol);
        }
        Directory.Delete(dir, true);
    }
}
