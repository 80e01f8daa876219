namespace ProtoCL.Evaluation;

/// <summary>
/// Agreement between a clustering and the true classes, with scikit-learn's definitions (natural
/// logarithms): mutual information, NMI and AMI with the arithmetic mean of the two entropies as
/// normaliser (average_method='arithmetic', the default), and accuracy under the best one-to-one
/// matching of clusters to classes (Hungarian algorithm).
/// </summary>
public static class ClusteringMetrics
{
    /// <summary>MI(U, V) = sum_ij (n_ij / N) ln(N n_ij / (a_i b_j)), clipped at 0 against rounding.</summary>
    public static double MutualInformation(ContingencyTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        double n = table.Total;
        double mi = 0;
        for (int i = 0; i < table.Rows; i++)
        {
            for (int j = 0; j < table.Columns; j++)
            {
                long nij = table.Counts[i, j];
                if (nij == 0) continue;
                mi += nij / n * (Math.Log(nij) + Math.Log(n) - Math.Log(table.RowSums[i]) - Math.Log(table.ColumnSums[j]));
            }
        }
        return Math.Max(mi, 0);
    }

    /// <summary>Entropy -sum_i (c_i / N) ln(c_i / N) of a labelling with class sizes <paramref name="counts"/>.</summary>
    public static double Entropy(IReadOnlyList<long> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        double total = counts.Sum();
        double h = 0;
        foreach (long c in counts)
        {
            if (c > 0) h -= c / total * Math.Log(c / total);
        }
        return h;
    }

    /// <summary>
    /// Expected mutual information E[MI] of two random labellings with the table's marginals
    /// (hypergeometric model, Vinh, Epps and Bailey 2010):
    /// sum_ij sum_{n = max(1, a_i + b_j - N)}^{min(a_i, b_j)} (n / N) ln(N n / (a_i b_j)) P(n | a_i, b_j, N)
    /// with P(n) = a_i! b_j! (N - a_i)! (N - b_j)! / (N! n! (a_i - n)! (b_j - n)! (N - a_i - b_j + n)!)
    /// evaluated through log-factorials. The per-cell bounds keep the work at most min(R, C) * N terms.
    /// </summary>
    public static double ExpectedMutualInformation(ContingencyTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        long n = table.Total;
        var logFactorial = LogGamma.LogFactorials(n);
        double logN = Math.Log(n);
        long maxCell = Math.Min(table.RowSums.DefaultIfEmpty(0).Max(), table.ColumnSums.DefaultIfEmpty(0).Max());
        var logInt = new double[maxCell + 1];
        for (long k = 1; k <= maxCell; k++) logInt[k] = Math.Log(k);
        double emi = 0;
        foreach (long a in table.RowSums)
        {
            foreach (long b in table.ColumnSums)
            {
                long low = Math.Max(1, a + b - n);
                long high = Math.Min(a, b);
                double fixedPart = logFactorial[a] + logFactorial[b] + logFactorial[n - a] + logFactorial[n - b] - logFactorial[n];
                double logAb = Math.Log(a) + Math.Log(b);
                for (long nij = low; nij <= high; nij++)
                {
                    double logP = fixedPart - logFactorial[nij] - logFactorial[a - nij] - logFactorial[b - nij]
                                  - logFactorial[n - a - b + nij];
                    double term = (double)nij / n * (logN + logInt[nij] - logAb);
                    emi += term * Math.Exp(logP);
                }
            }
        }
        return emi;
    }

    /// <summary>NMI = MI / mean(H(U), H(V)); 1 when both labellings are a single cluster, 0 when MI = 0 otherwise (as scikit-learn).</summary>
    public static double NormalizedMutualInformation(int[] labelsTrue, int[] labelsPred)
    {
        var table = ContingencyTable.From(labelsTrue, labelsPred);
        if (IsTrivialPerfectMatch(table)) return 1.0;
        double mi = MutualInformation(table);
        if (mi == 0) return 0.0;
        double normaliser = 0.5 * (Entropy(table.RowSums) + Entropy(table.ColumnSums));
        return mi / normaliser;
    }

    /// <summary>
    /// AMI = (MI - E[MI]) / (mean(H(U), H(V)) - E[MI]); 1 when both labellings are a single cluster.
    /// A denominator that rounding makes tiny keeps its sign and is held at least machine epsilon
    /// away from 0, as scikit-learn does.
    /// </summary>
    public static double AdjustedMutualInformation(int[] labelsTrue, int[] labelsPred)
    {
        var table = ContingencyTable.From(labelsTrue, labelsPred);
        if (IsTrivialPerfectMatch(table)) return 1.0;
        double mi = MutualInformation(table);
        double emi = ExpectedMutualInformation(table);
        double normaliser = 0.5 * (Entropy(table.RowSums) + Entropy(table.ColumnSums));
        double denominator = normaliser - emi;
        denominator = denominator < 0 ? Math.Min(denominator, -Epsilon) : Math.Max(denominator, Epsilon);
        return (mi - emi) / denominator;
    }

    /// <summary>
    /// Fraction of samples whose cluster maps to their class under the one-to-one cluster-to-class
    /// mapping that maximises that fraction (Hungarian algorithm on the contingency table). With
    /// more clusters than classes the extra clusters count as wrong, and vice versa.
    /// </summary>
    public static double HungarianAccuracy(int[] labelsTrue, int[] labelsPred)
    {
        var table = ContingencyTable.From(labelsTrue, labelsPred);
        if (table.Total == 0) throw new ArgumentException("no samples");
        var cost = new double[table.Rows, table.Columns];
        for (int i = 0; i < table.Rows; i++)
        {
            for (int j = 0; j < table.Columns; j++) cost[i, j] = -table.Counts[i, j];
        }
        var assignment = HungarianAlgorithm.Solve(cost);
        long matched = 0;
        for (int i = 0; i < table.Rows; i++)
        {
            if (assignment[i] >= 0) matched += table.Counts[i, assignment[i]];
        }
        return (double)matched / table.Total;
    }

    /// <summary>Machine epsilon of double (2^-52), numpy's finfo(float64).eps.</summary>
    private const double Epsilon = 2.220446049250313e-16;

    private static bool IsTrivialPerfectMatch(ContingencyTable table) =>
        (table.Rows == 1 && table.Columns == 1) || (table.Rows == 0 && table.Columns == 0);
}
