namespace ProtoCL.Evaluation;

/// <summary>
/// Settings of the low-shot SVM protocol; defaults are the PCL paper's (Table 1) and its reference
/// script eval_svm_voc.py: LinearSVC(C=0.5, class_weight {+1: 2, -1: 1}, squared hinge, L2, dual,
/// tol 1e-4, max_iter 2000), k = 1, 2, 4, 8, 16 labelled samples per class, 5 draws each.
/// </summary>
public sealed record LowShotSvmOptions
{
    /// <summary>Labelled samples per class to draw (k).</summary>
    public IReadOnlyList<int> Shots { get; init; } = [1, 2, 4, 8, 16];

    /// <summary>Independent random draws per k.</summary>
    public int Draws { get; init; } = 5;

    /// <summary>SVM cost C.</summary>
    public double Cost { get; init; } = 0.5;

    /// <summary>Class weight of the one class (positive) against the rest.</summary>
    public double PositiveWeight { get; init; } = 2.0;

    /// <summary>Class weight of the rest (negative).</summary>
    public double NegativeWeight { get; init; } = 1.0;

    /// <summary>Solver tolerance (LinearSVC tol).</summary>
    public double Tolerance { get; init; } = 1e-4;

    /// <summary>Most solver passes (LinearSVC max_iter).</summary>
    public int MaxIterations { get; init; } = 2000;

    /// <summary>Seed of the draws (and of the solver's coordinate order).</summary>
    public int Seed { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (Shots.Count == 0 || Shots.Any(k => k < 1))
            throw new ArgumentException($"Shots must be a non-empty list of positive counts, got [{string.Join(", ", Shots)}]");
        if (Shots.Distinct().Count() != Shots.Count)
            throw new ArgumentException($"Shots must not repeat a count, got [{string.Join(", ", Shots)}]");
        if (Draws < 1) throw new ArgumentException($"Draws must be at least 1, got {Draws}");
        SolverOptions().Validate();
    }

    /// <summary>The per-class SVM settings these options imply.</summary>
    public LinearSvmOptions SolverOptions() => new()
    {
        Cost = Cost,
        PositiveWeight = PositiveWeight,
        NegativeWeight = NegativeWeight,
        Tolerance = Tolerance,
        MaxIterations = MaxIterations,
        Seed = Seed,
    };
}
