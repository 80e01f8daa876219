namespace ProtoCL.Evaluation;

/// <summary>
/// Settings of the low-shot SVM protocol; defaults are the PCL paper's (Table 1) and its reference
/// script eval_svm_voc.py: LinearSVC(C=0.5, class_weight {+1: 2, -1: 1}, squared hinge, L2, dual,
/// tol 1e-4, max_iter 2000), k = 1, 2, 4, 8, 16 labelled samples per class, 5 draws each.
/// </summary>
public sealed record LowShotSvmOptions
{
    /// <summary>Labelled samples per class to draw (k): 1, 2, 4, 8, 16 (eval_svm_voc.py k_list with --low-shot).</summary>
    public IReadOnlyList<int> Shots { get; init; } = [1, 2, 4, 8, 16];

    /// <summary>Independent random draws per k: 5 (eval_svm_voc.py n_run with --low-shot).</summary>
    public int Draws { get; init; } = 5;

    /// <summary>SVM cost C: 0.5 (eval_svm_voc.py --cost default).</summary>
    public double Cost { get; init; } = 0.5;

    /// <summary>Class weight of the one class (positive) against the rest: 2 (eval_svm_voc.py class_weight={1: 2, -1: 1}).</summary>
    public double PositiveWeight { get; init; } = 2.0;

    /// <summary>Class weight of the rest (negative): 1 (eval_svm_voc.py class_weight={1: 2, -1: 1}).</summary>
    public double NegativeWeight { get; init; } = 1.0;

    /// <summary>Solver tolerance: 1e-4 (eval_svm_voc.py LinearSVC tol=1e-4).</summary>
    public double Tolerance { get; init; } = 1e-4;

    /// <summary>Most solver passes: 2000 (eval_svm_voc.py LinearSVC max_iter=2000).</summary>
    public int MaxIterations { get; init; } = 2000;

    /// <summary>Seed of the draws and of the solver's coordinate order: 0 (eval_svm_voc.py --seed default 0; its LinearSVC fixes random_state=0).</summary>
    public int Seed { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (Shots is null) throw new ArgumentException("Shots must be a list of counts, not null");
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
