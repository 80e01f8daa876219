using static TorchSharp.torch;

namespace ProtoCL.Model;

/// <summary>The momentum (key) encoder update of MoCo: theta' = m * theta' + (1 - m) * theta, once per step, before the keys are computed (as the reference's forward does).</summary>
public static class MomentumEncoder
{
    /// <summary>Builds the key encoder as an exact copy of <paramref name="encoder"/> (same factory, then its state).</summary>
    public static ResNetEncoder CopyOf(ResNetEncoder encoder)
    {
        var key = new ResNetEncoder(encoder.Options);
        key.load_state_dict(encoder.state_dict());
        foreach (var p in key.parameters()) p.requires_grad = false;
        return key;
    }

    /// <summary>EMA update of the key encoder's parameters; buffers (BN statistics) stay the key encoder's own, as in MoCo.</summary>
    public static void Update(ResNetEncoder key, ResNetEncoder query, double momentum)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var qp = query.parameters().ToList();
        var kp = key.parameters().ToList();
        for (int i = 0; i < qp.Count; i++)
            kp[i].mul_(momentum).add_(qp[i], alpha: 1 - momentum); // same shape as the parameter
    }
}
