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
    config.AddCommand<TrainCommand>("train").WithDescription("Train an encoder with PCL (or MoCo, SimCLR, PCL-SimCLR) on a dataset.");
    config.AddCommand<BenchCommand>("bench").WithDescription("Measure training, E-step and augmentation speed, FLOPs and memory.");
    config.AddBranch("eval", eval =>
    {
        eval.SetDescription("Evaluate frozen features of a checkpoint: knn, linear, lowshot, cluster, or all.");
        eval.AddCommand<EvalKnnCommand>("knn").WithDescription("Weighted kNN classification (k = 200, T = 0.07).");
        eval.AddCommand<EvalLinearCommand>("linear").WithDescription("Linear probe: softmax regression on frozen features.");
        eval.AddCommand<EvalLowShotCommand>("lowshot").WithDescription("Low-shot linear SVMs, k = 1, 2, 4, 8, 16 per class, 5 draws.");
        eval.AddCommand<EvalClusterCommand>("cluster").WithDescription("k-means with K = classes: AMI, NMI, accuracy; AMI of each PCL level.");
        eval.AddCommand<EvalAllCommand>("all").WithDescription("All four protocols on one extraction of the features (--json-dir DIR: one JSON each).");
    });
    config.AddCommand<ReportCommand>("report").WithDescription("Write pictures and an index.html for a run.");
    config.AddCommand<ReproduceCommand>("reproduce").WithDescription("Reproduce the paper's Table 1 on Fashion-MNIST (reproduce table1).");
    config.AddCommand<DemoCommand>("demo").WithDescription("Train on the embedded Fashion-MNIST data and compare kNN accuracy with raw pixels and a random encoder.");
    config.AddCommand<AssignCommand>("assign").WithDescription("Write which learned prototype each image falls under, at every level, as CSV.");
    config.AddCommand<NeighboursCommand>("neighbours").WithDescription("List (and draw) the images of a dataset most alike to given ones under a checkpoint's features.");
    config.AddCommand<EmbedCommand>("embed").WithDescription("Write the embeddings of a dataset as a numpy .npy file (float32, N x d).");
});
return ErrorReporting.Run(() => app.Run(args));
