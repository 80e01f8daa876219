namespace ProtoCL.Evaluation;

/// <summary>
/// Non-interpolated average precision, as scikit-learn's average_precision_score:
/// AP = sum_n (R_n - R_(n-1)) P_n over the distinct score thresholds in decreasing order, where P_n and
/// R_n are precision and recall when every sample scoring at least the n-th threshold is called
/// positive. Tied scores enter together (one threshold), so the result does not depend on the order
/// of ties. Note: the reference eval_svm_voc.py (calculate_ap) integrates the interpolated precision
/// envelope (max precision at any higher recall, VOC 2010+ style) over a per-sample ranking, which is
/// never lower than this value; scores here are therefore comparable to scikit-learn, not bit-equal
/// to the reference script.
/// </summary>
public static class AveragePrecision
{
    /// <summary>AP of <paramref name="scores"/> (higher = more positive) against <paramref name="isPositive"/>; NaN when there is no positive sample.</summary>
    public static double Compute(ReadOnlySpan<float> scores, ReadOnlySpan<bool> isPositive)
    {
        if (scores.Length != isPositive.Length)
            throw new ArgumentException($"{scores.Length} scores but {isPositive.Length} labels");
        int n = scores.Length;
        int positives = 0;
        foreach (bool p in isPositive) if (p) positives++;
        if (positives == 0) return double.NaN;

        var keys = scores.ToArray();
        var order = Enumerable.Range(0, n).ToArray();
        // Descending by score; stable order among ties does not matter (ties form one threshold).
        Array.Sort(keys, order, Comparer<float>.Create((a, b) => b.CompareTo(a)));

        double ap = 0;
        double previousRecall = 0;
        int truePositives = 0;
        int i = 0;
        while (i < n)
        {
            // Take every sample tied with this score, then evaluate the threshold once.
            float threshold = keys[i];
            while (i < n && keys[i] == threshold)
            {
                if (isPositive[order[i]]) truePositives++;
                i++;
            }
            double recall = (double)truePositives / positives;
            double precision = (double)truePositives / i;
            ap += (recall - previousRecall) * precision;
            previousRecall = recall;
        }
        return ap;
    }

    /// <summary>Mean over classes of the AP of column c of <paramref name="scores"/> [N, C] (row-major) against labels == c; classes without any test sample are left out of the mean.</summary>
    public static double MeanOverClasses(float[] scores, int[] labels, int classCount)
    {
        int n = labels.Length;
        if (scores.Length != n * classCount)
            throw new ArgumentException($"scores hold {scores.Length} values, expected {n} x {classCount}");
        var column = new float[n];
        var isPositive = new bool[n];
        double sum = 0;
        int counted = 0;
        for (int c = 0; c < classCount; c++)
        {
            for (int i = 0; i < n; i++)
            {
                column[i] = scores[i * classCount + c];
                isPositive[i] = labels[i] == c;
            }
            double ap = Compute(column, isPositive);
            if (double.IsNaN(ap)) continue;
            sum += ap;
            counted++;
        }
        return counted == 0 ? double.NaN : sum / counted;
    }
}
