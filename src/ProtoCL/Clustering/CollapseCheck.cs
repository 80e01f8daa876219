using TorchSharp;
using static TorchSharp.torch;

namespace ProtoCL.Clustering;

/// <summary>
/// Signs that the embedding has collapsed (every image mapped to nearly the same point), which makes the
/// E-step meaningless: most clusters end up with at most one member, or the features barely vary.
/// </summary>
internal static class CollapseCheck
{
    /// <summary>More than this fraction of clusters with &lt;= 1 member looks collapsed (a healthy level with N &gt;= 10 K has almost none).</summary>
    internal const double MaxTinyClusterFraction = 0.5;

    /// <summary>
    /// Spread below which features count as collapsed: the mean squared distance to the feature mean
    /// (trace of the covariance), which for unit vectors is 1 - ||mean||^2, i.e. 1 when spread over the sphere.
    /// </summary>
    internal const double MinFeatureSpread = 1e-4;

    /// <summary>Mean squared distance of the features to their mean, float32 [N, D] in, a number out.</summary>
    public static double FeatureSpread(Tensor features)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var centred = features.sub(features.mean(new long[] { 0 }, keepdim: true)); // [N, D]
        return centred.square().sum(1).to(float64).mean().item<double>();  // [N] -> []
    }

    /// <summary>Why a level looks collapsed, or null when it does not.</summary>
    /// <param name="assignments">cluster of each point, int64 [N]</param>
    /// <param name="k">clusters in the level</param>
    /// <param name="featureSpread">from <see cref="FeatureSpread"/></param>
    public static string? Reason(Tensor assignments, int k, double featureSpread)
    {
        if (featureSpread < MinFeatureSpread)
            return $"features barely vary (mean squared distance to their mean {featureSpread:G3} < {MinFeatureSpread:G3}): the encoder has collapsed";
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long tiny = assignments.bincount(null, k).le(1).sum().item<long>(); // [K] -> []
        if (tiny > MaxTinyClusterFraction * k)
            return $"{tiny} of {k} clusters have at most one member: the features are (nearly) collapsed or K is too large";
        return null;
    }
}
