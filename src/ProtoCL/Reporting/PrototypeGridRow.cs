namespace ProtoCL.Reporting;

/// <summary>One row of a <see cref="PrototypeGrid"/>: a cluster, its size, the dataset indices of the images shown and,
/// when the images have labels, the cluster's most common label and its share.</summary>
/// <param name="Cluster">Cluster id (the value in the assignments array).</param>
/// <param name="Size">Number of images assigned to the cluster.</param>
/// <param name="Samples">Dataset indices drawn at random from the cluster's members, left to right (at most the requested images per cluster).</param>
/// <param name="MajorityLabel">The label most of the cluster's labelled members have (the smallest on ties); null
/// without labels or when no member has one.</param>
/// <param name="Purity">Share (0 to 1) of the cluster's labelled members that have <paramref name="MajorityLabel"/>;
/// null when <paramref name="MajorityLabel"/> is.</param>
public sealed record PrototypeGridRow(long Cluster, int Size, int[] Samples, int? MajorityLabel = null, double? Purity = null);
