namespace ProtoCL.Evaluation;

/// <summary>
/// Minimum-cost one-to-one assignment of rows to columns (Kuhn-Munkres), O(n^2 m) with the
/// shortest-augmenting-path formulation and dual potentials. Rectangular matrices are allowed: with
/// more columns than rows every row is assigned; with more rows than columns every column is.
/// </summary>
public static class HungarianAlgorithm
{
    /// <summary>Column assigned to each row (-1 for a row left without one), minimising the total cost.</summary>
    public static int[] Solve(double[,] cost)
    {
        ArgumentNullException.ThrowIfNull(cost);
        int rows = cost.GetLength(0);
        int columns = cost.GetLength(1);
        if (rows <= columns) return SolveWide(cost, rows, columns, transposed: false);
        var byColumn = SolveWide(cost, columns, rows, transposed: true);
        var rowToColumn = Enumerable.Repeat(-1, rows).ToArray();
        for (int c = 0; c < columns; c++) rowToColumn[byColumn[c]] = c;
        return rowToColumn;
    }

    /// <summary>Assignment of n rows to m >= n columns of cost (or of its transpose); returns the column of each row.</summary>
    private static int[] SolveWide(double[,] cost, int n, int m, bool transposed)
    {
        double At(int i, int j) => transposed ? cost[j, i] : cost[i, j];
        // 1-based: row 0 / column 0 are a virtual start. u, v are the dual potentials;
        // match[j] is the row on column j, previous[j] the column before j on the augmenting path.
        var u = new double[n + 1];
        var v = new double[m + 1];
        var match = new int[m + 1];
        var previous = new int[m + 1];
        var minSlack = new double[m + 1];
        var used = new bool[m + 1];
        for (int row = 1; row <= n; row++)
        {
            match[0] = row;
            int column = 0;
            Array.Fill(minSlack, double.PositiveInfinity);
            Array.Fill(used, false);
            do
            {
                used[column] = true;
                int i = match[column];
                double delta = double.PositiveInfinity;
                int next = 0;
                for (int j = 1; j <= m; j++)
                {
                    if (used[j]) continue;
                    double slack = At(i - 1, j - 1) - u[i] - v[j];
                    if (slack < minSlack[j])
                    {
                        minSlack[j] = slack;
                        previous[j] = column;
                    }
                    if (minSlack[j] < delta)
                    {
                        delta = minSlack[j];
                        next = j;
                    }
                }
                // Shift the potentials so the cheapest slack edge becomes tight.
                for (int j = 0; j <= m; j++)
                {
                    if (used[j])
                    {
                        u[match[j]] += delta;
                        v[j] -= delta;
                    }
                    else
                    {
                        minSlack[j] -= delta;
                    }
                }
                column = next;
            }
            while (match[column] != 0);
            // Flip the augmenting path back to the start.
            do
            {
                int before = previous[column];
                match[column] = match[before];
                column = before;
            }
            while (column != 0);
        }
        var result = Enumerable.Repeat(-1, n).ToArray();
        for (int j = 1; j <= m; j++)
        {
            if (match[j] != 0) result[match[j] - 1] = j - 1;
        }
        return result;
    }
}
