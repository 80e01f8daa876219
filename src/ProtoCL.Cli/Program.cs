using ProtoCL.Cli;
using ProtoCL.Cli.Commands;
using Spectre.Console.Cli;

var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("protocl");
    config.PropagateExceptions();
    config.AddCommand<TrainCommand>("train").WithDescription("Train an encoder with PCL (or MoCo, SimCLR, PCL-SimCLR) on a dataset.");
    config.AddCommand<BenchCommand>("bench").WithDescription("Measure training, E-step and augmentation speed, FLOPs and memory.");
    config.AddCommand<EmbedCommand>("embed").WithDescription("Write the embeddings of a dataset as a numpy .npy file (float32, N x d).");
});
return ErrorReporting.Run(() => app.Run(args));
