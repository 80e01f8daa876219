using ProtoCL.Cli;
using ProtoCL.Cli.Commands;
using Spectre.Console.Cli;

ProtoCL.Cli.Terminal.ThreadingEnvironment.PreferPassiveWaiting();
if (args is ["--version" or "-v"])
{
    // Printed here, as one plain line: Spectre.Console would wrap it at a redirected console's 80 columns.
    Console.WriteLine(VersionText.Text);
    return 0;
}
var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("protocl");
    config.SetApplicationVersion(VersionText.Text); // lists -v, --version in the help
    config.PropagateExceptions();
    config.UseStrictParsing();                      // an unknown or misspelt option is an error, not silently ignored
    config.ValidateExamples();                      // every example in the help parses, checked at each start
    config.AddCommand<TrainCommand>("train").WithDescription("Train an encoder with PCL (or MoCo, SimCLR, PCL-SimCLR) on a dataset.")
        .WithExample("train", "--preset", "small", "--data", "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz", "--out", "runs/fmnist")
        .WithExample("train", "--preset", "small", "--mlp", "--clusters", "10,20,40", "--data", "photos/", "--image-size", "64", "--out", "runs/photos")
        .WithExample("train", "--out", "runs/photos", "--resume");
    config.AddCommand<BenchCommand>("bench").WithDescription("Measure training, E-step and augmentation speed, FLOPs and memory.");
    config.AddBranch("eval", eval =>
    {
        eval.SetDescription("Evaluate a checkpoint: knn, linear, lowshot, cluster or all on frozen features; finetune trains it on few labels.");
        eval.AddCommand<EvalKnnCommand>("knn").WithDescription("Weighted kNN classification (k = 200, T = 0.07).")
            .WithExample("eval", "knn", "--checkpoint", "runs/fmnist", "--json", "knn.json")
            .WithExample("eval", "knn", "--checkpoint", "raw", "--train-data", "photos/train", "--test-data", "photos/test");
        eval.AddCommand<EvalLinearCommand>("linear").WithDescription("Linear probe: softmax regression on frozen features.");
        eval.AddCommand<EvalLowShotCommand>("lowshot").WithDescription("Low-shot linear SVMs, k = 1, 2, 4, 8, 16 per class, 5 draws.")
            .WithExample("eval", "lowshot", "--checkpoint", "runs/fmnist", "--json", "lowshot.json")
            .WithExample("eval", "lowshot", "--checkpoint", "random:runs/fmnist", "--shots", "1,2,4");
        eval.AddCommand<EvalClusterCommand>("cluster").WithDescription("k-means with K = classes: AMI, NMI, accuracy; AMI of each PCL level.");
        eval.AddCommand<EvalFineTuneCommand>("finetune").WithDescription("Semi-supervised: fine-tune the whole network on 1 % and 10 % of the labels, top-1 and top-5 accuracy.")
            .WithExample("eval", "finetune", "--checkpoint", "runs/fmnist", "--json", "finetune.json")
            .WithExample("eval", "finetune", "--checkpoint", "random:runs/fmnist", "--percent", "1,10", "--json", "finetune-scratch.json");
        eval.AddCommand<EvalAllCommand>("all").WithDescription("All four protocols on one extraction of the features (--json-dir DIR: one JSON each).")
            .WithExample("eval", "all", "--checkpoint", "runs/fmnist", "--json-dir", "runs/fmnist/evals");
    });
    config.AddCommand<ReportCommand>("report").WithDescription("Write pictures and an index.html for a run.")
        .WithExample("report", "--run", "runs/fmnist", "--eval", "runs/fmnist/evals/lowshot.json", "--tsne")
        .WithExample("report", "--run", "runs/fmnist", "--data", "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz");
    config.AddCommand<ReproduceCommand>("reproduce").WithDescription("Reproduce the paper's Table 1 on Fashion-MNIST (reproduce table1). The first example is the command of results/table1 (63 minutes of training for its four methods on 2 idle cores, results/table1-rev5; 127 on the shared 2-core machine results/table1 ran on).")
        .WithExample("reproduce", "table1", "--preset", "small", "--epochs", "8", "--warmup-epochs", "1", "--clusters", "5,10,20", "--crop-min", "0.5", "--precision", "bf16", "--threads", "2", "--mlp", "--lr", "0.03", "--out", "my-table1")
        .WithExample("reproduce", "table1", "--epochs", "1", "--warmup-epochs", "0", "--limit", "2000", "--clusters", "5,10", "--out", "quick-table1");
    config.AddCommand<DemoCommand>("demo").WithDescription("Train on the embedded Fashion-MNIST data and compare kNN accuracy with raw pixels and a random encoder.");
    config.AddCommand<AssignCommand>("assign").WithDescription("Write which learned prototype each image falls under, at every level, as CSV.")
        .WithExample("assign", "--checkpoint", "runs/photos", "--data", "photos/", "--csv", "prototypes.csv");
    config.AddCommand<NeighboursCommand>("neighbours").WithDescription("List (and draw) the images of a dataset most alike to given ones under a checkpoint's features.")
        .WithExample("neighbours", "--checkpoint", "runs/photos", "--data", "photos/", "--query", "photos/cats/001.jpg", "--query", "17", "--png", "neighbours.png");
    config.AddCommand<EmbedCommand>("embed").WithDescription("Write the embeddings of a dataset as a numpy .npy file (float32, N x d).")
        .WithExample("embed", "--checkpoint", "runs/photos", "--data", "photos/", "--out", "features.npy", "--csv", "features.csv");
});
return ErrorReporting.Run(() => app.Run(args));
