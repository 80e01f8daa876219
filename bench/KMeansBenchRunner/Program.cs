// Runs ProtoCL's E-step (k-means + phi per level) on a float32 .npy, the counterpart of bench/kmeans_vs_faiss.py.
// Usage: dotnet run -c Release --project bench/KMeansBenchRunner -- FEATURES.npy 1000,1500,2000 [repeats=3] [threads=2]
using ProtoCL.Benchmarks;

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: KMeansBenchRunner FEATURES.npy K1,K2,... [repeats=3] [threads=2]");
    return 2;
}
var ks = args[1].Split(',').Select(int.Parse).ToArray();
int repeats = args.Length > 2 ? int.Parse(args[2]) : 3;
int threads = args.Length > 3 ? int.Parse(args[3]) : 2;
Console.WriteLine($"ProtoCL E-step, threads {threads}, K = {args[1]}, niter 20, nredo 5, seed = level");
var runs = new List<IReadOnlyList<KMeansBenchLevel>>();
for (int r = 0; r < repeats; r++)
{
    var levels = KMeansBench.Run(args[0], ks, threads);
    foreach (var l in levels)
        Console.WriteLine($"repeat {r} level {l.Level} K={l.K}: kmeans {l.KMeansSeconds:F3} s, phi {l.PhiSeconds:F4} s, objective {l.Objective:F6}, splits {l.EmptyClusterSplits}");
    runs.Add(levels);
}
Console.WriteLine("median over repeats:");
for (int m = 0; m < ks.Length; m++)
    Console.WriteLine($"level {m} K={ks[m]}: kmeans {Median(runs.Select(r => r[m].KMeansSeconds)):F3} s, " +
                      $"phi {Median(runs.Select(r => r[m].PhiSeconds)):F4} s, objective {Median(runs.Select(r => r[m].Objective)):F6}");
Console.WriteLine($"total {Median(runs.Select(r => r.Sum(l => l.KMeansSeconds + l.PhiSeconds))):F3} s");
return 0;

static double Median(IEnumerable<double> values)
{
    var v = values.OrderBy(x => x).ToArray();
    return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
}
