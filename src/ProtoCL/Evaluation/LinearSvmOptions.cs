namespace ProtoCL.Evaluation;

/// <summary>
/// Settings of <see cref="LinearSvm"/>; the defaults are scikit-learn LinearSVC's (squared hinge, L2,
/// dual=True) except <see cref="MaxIterations"/>, which is doubled so small problems always converge.
/// </summary>
public sealed record LinearSvmOptions
{
    /// <summary>Cost C of the loss term; larger C = less regularisation (LinearSVC default 1).</summary>
    public double Cost { get; init; } = 1.0;

    /// <summary>Class weight of the positive samples: 1 (LinearSVC class_weight=None); their cost is C * weight.</summary>
    public double PositiveWeight { get; init; } = 1.0;

    /// <summary>Class weight of the negative samples: 1 (LinearSVC class_weight=None); their cost is C * weight.</summary>
    public double NegativeWeight { get; init; } = 1.0;

    /// <summary>Value of the constant feature appended to every sample: 1 (LinearSVC intercept_scaling default); its weight times this value is the bias (regularised like the other weights, as in LIBLINEAR).</summary>
    public double InterceptScaling { get; init; } = 1.0;

    /// <summary>Stop when the spread of the projected gradients over one pass, max - min, is at most this: 1e-4 (LinearSVC tol default, LIBLINEAR's eps).</summary>
    public double Tolerance { get; init; } = 1e-4;

    /// <summary>Most passes over the samples: 2000, twice LinearSVC's max_iter default of 1000 (eval_svm_voc.py passes 2000 too).</summary>
    public int MaxIterations { get; init; } = 2000;

    /// <summary>Seed of the per-pass random order of the coordinates: 0, ProtoCL's (LinearSVC random_state defaults to none).</summary>
    public int Seed { get; init; }

    /// <summary>Skip coordinates that sit at alpha = 0 with a large gradient until the reduced problem converges: on, as LIBLINEAR's dual solver always does (LinearSVC has no switch); the optimum is the same either way.</summary>
    public bool Shrinking { get; init; } = true;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (!(Cost > 0)) throw new ArgumentException($"Cost must be positive, got {Cost}");
        if (!(PositiveWeight > 0) || !(NegativeWeight > 0))
            throw new ArgumentException($"class weights must be positive, got {PositiveWeight} / {NegativeWeight}");
        if (!(InterceptScaling >= 0)) throw new ArgumentException($"InterceptScaling must be >= 0, got {InterceptScaling}");
        if (!(Tolerance > 0)) throw new ArgumentException($"Tolerance must be positive, got {Tolerance}");
        if (MaxIterations < 1) throw new ArgumentException($"MaxIterations must be at least 1, got {MaxIterations}");
    }
}
