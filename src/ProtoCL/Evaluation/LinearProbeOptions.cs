namespace ProtoCL.Evaluation;

/// <summary>
/// Training settings of the linear probe (multinomial logistic regression on standardised frozen
/// features, minibatch Adam with a cosine learning-rate schedule). The defaults fit the problem from
/// zero-initialised weights to convergence on Fashion-MNIST-sized sets (60k x 512) in seconds. Checked against
/// scikit-learn's LogisticRegression on the raw pixels of Fashion-MNIST: 83.8 % here (results/table1, raw row) against
/// its 84.2 % (../shared/docs/EVALUATION.md's floor).
/// </summary>
public sealed record LinearProbeOptions
{
    /// <summary>Passes over the training features: 100, as the reference's linear classifier (salesforce/PCL eval_cls_imagenet.py --epochs).</summary>
    public int Epochs { get; init; } = 100;

    /// <summary>Minibatch size: 1024, ProtoCL's choice (eval_cls_imagenet.py: 256); the last minibatch of an epoch may be smaller.</summary>
    public int BatchSize { get; init; } = 1024;

    /// <summary>Initial Adam learning rate 1e-2, annealed to 0 by a per-epoch cosine schedule: ProtoCL's choice (eval_cls_imagenet.py: SGD, lr 5, momentum 0.9, x0.1 at epochs 60 and 80).</summary>
    public double LearningRate { get; init; } = 1e-2;

    /// <summary>L2 weight decay of Adam: 1e-5, ProtoCL's choice (eval_cls_imagenet.py: 0); small, the probe should fit, not be regularised away.</summary>
    public double WeightDecay { get; init; } = 1e-5;

    /// <summary>Seed of the minibatch order: 0, ProtoCL's (eval_cls_imagenet.py is unseeded by default); the weights start at zero, so this is the only randomness.</summary>
    public int Seed { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (Epochs < 1) throw new ArgumentException($"Epochs must be at least 1, got {Epochs}");
        if (BatchSize < 1) throw new ArgumentException($"BatchSize must be at least 1, got {BatchSize}");
        if (!(LearningRate > 0)) throw new ArgumentException($"LearningRate must be positive, got {LearningRate}");
        if (!(WeightDecay >= 0)) throw new ArgumentException($"WeightDecay must be >= 0, got {WeightDecay}");
    }
}
