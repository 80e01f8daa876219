namespace ProtoCL.Reporting;

/// <summary>One row of a <see cref="PrototypeGrid"/>: a cluster, its size and the dataset indices of the images shown.</summary>
/// <param name="Cluster">Cluster id (the value in the assignments array).</param>
/// <param name="Size">Number of images assigned to the cluster.</param>
/// <param name="Samples">Dataset indices drawn, left to right (at most the requested images per cluster).</param>
public sealed record PrototypeGridRow(long Cluster, int Size, int[] Samples);
