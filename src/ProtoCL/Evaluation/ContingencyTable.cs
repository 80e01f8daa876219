namespace ProtoCL.Evaluation;

/// <summary>
/// Counts n_ij of samples with true class i and predicted cluster j, the input of every
/// label-agreement metric (<see cref="ClusteringMetrics"/>). Labels may be any integers; rows and
/// columns are their distinct values in increasing order.
/// </summary>
public sealed class ContingencyTable
{
    private ContingencyTable(long[,] counts, int[] rowLabels, int[] columnLabels)
    {
        Counts = counts;
        RowLabels = rowLabels;
        ColumnLabels = columnLabels;
        RowSums = new long[rowLabels.Length];
        ColumnSums = new long[columnLabels.Length];
        for (int i = 0; i < rowLabels.Length; i++)
        {
            for (int j = 0; j < columnLabels.Length; j++)
            {
                RowSums[i] += counts[i, j];
                ColumnSums[j] += counts[i, j];
                Total += counts[i, j];
            }
        }
    }

    /// <summary>n_ij, [rows = true classes, columns = predicted clusters].</summary>
    public long[,] Counts { get; }

    /// <summary>The true label of each row.</summary>
    public int[] RowLabels { get; }

    /// <summary>The predicted label of each column.</summary>
    public int[] ColumnLabels { get; }

    /// <summary>a_i = sum_j n_ij, samples per true class.</summary>
    public long[] RowSums { get; }

    /// <summary>b_j = sum_i n_ij, samples per predicted cluster.</summary>
    public long[] ColumnSums { get; }

    /// <summary>N, the number of samples.</summary>
    public long Total { get; }

    /// <summary>Number of distinct true labels.</summary>
    public int Rows => RowLabels.Length;

    /// <summary>Number of distinct predicted labels.</summary>
    public int Columns => ColumnLabels.Length;

    /// <summary>Counts the pairs (labelsTrue[s], labelsPred[s]).</summary>
    public static ContingencyTable From(int[] labelsTrue, int[] labelsPred)
    {
        ArgumentNullException.ThrowIfNull(labelsTrue);
        ArgumentNullException.ThrowIfNull(labelsPred);
        if (labelsTrue.Length != labelsPred.Length)
            throw new ArgumentException($"{labelsTrue.Length} true labels but {labelsPred.Length} predicted labels");
        var rowLabels = labelsTrue.Distinct().Order().ToArray();
        var columnLabels = labelsPred.Distinct().Order().ToArray();
        var rowOf = new Dictionary<int, int>();
        for (int i = 0; i < rowLabels.Length; i++) rowOf[rowLabels[i]] = i;
        var columnOf = new Dictionary<int, int>();
        for (int j = 0; j < columnLabels.Length; j++) columnOf[columnLabels[j]] = j;
        var counts = new long[rowLabels.Length, columnLabels.Length];
        for (int s = 0; s < labelsTrue.Length; s++)
            counts[rowOf[labelsTrue[s]], columnOf[labelsPred[s]]]++;
        return new ContingencyTable(counts, rowLabels, columnLabels);
    }
}
