using System.Text.Json.Serialization;
using ProtoCL.Augmentation;
using ProtoCL.Model;

namespace ProtoCL.Training;

/// <summary>Which contrastive method trains the encoder (the rows of the paper's Table 1).</summary>
public enum Method
{
    /// <summary>MoCo: InfoNCE with a momentum encoder and a queue, no prototypes.</summary>
    Moco,
    /// <summary>PCL: ProtoNCE (InfoNCE + prototype term) on MoCo; the E-step uses the momentum encoder.</summary>
    Pcl,
    /// <summary>SimCLR: NT-Xent over the 2N views of the batch; no queue, no momentum encoder.</summary>
    Simclr,
    /// <summary>PCL on SimCLR: the prototype term added to NT-Xent; the E-step uses the encoder itself.</summary>
    PclSimclr,
}

/// <summary>The names methods go by on the command line, in run folders, file names, table rows and messages.</summary>
public static class MethodNames
{
    /// <summary>Lower-case name of <paramref name="m"/>: "moco", "pcl", "simclr" or "pcl-simclr".</summary>
    /// <param name="m">The method.</param>
    /// <returns>Its name.</returns>
    public static string Name(this Method m) => m switch
    {
        Method.Moco => "moco",
        Method.Pcl => "pcl",
        Method.Simclr => "simclr",
        _ => "pcl-simclr",
    };

    /// <summary>The method as the literature writes it, for titles and captions: "MoCo", "PCL", "SimCLR" or "PCL-SimCLR".</summary>
    /// <param name="m">The method.</param>
    /// <returns>Its title.</returns>
    public static string Title(this Method m) => m switch
    {
        Method.Moco => "MoCo",
        Method.Pcl => "PCL",
        Method.Simclr => "SimCLR",
        _ => "PCL-SimCLR",
    };
}

/// <summary>Learning-rate schedule.</summary>
public enum LrSchedule
{
    /// <summary>x0.1 at 60% and 80% of the epochs (the paper's 120 and 160 of 200).</summary>
    Step,
    /// <summary>Half-cosine from lr to 0 over the epochs (PCL v2 / MoCo v2).</summary>
    Cosine,
}

/// <summary>How the prototype term lays out its logits (<see cref="Losses.ProtoNceLoss"/>).</summary>
public enum PrototypeLogits
{
    /// <summary>As salesforce/PCL builds them: one column per batch sample's positive prototype (a prototype shared by
    /// several samples fills several columns), then the sampled negatives.</summary>
    Reference,
    /// <summary>As the paper's equation reads: every prototype in play (the batch's positives and the sampled negatives)
    /// once, the target being the sample's own prototype.</summary>
    Paper,
}

/// <summary>How SimCLR and PCL-SimCLR pass an image's second view through the split BatchNorm
/// (<see cref="Model.EncoderOptions.BnGroups"/>); MoCo and PCL always shuffle their keys.</summary>
public enum ViewBatchNorm
{
    /// <summary>Both views in batch order, so an image's two views are normalised in the same slice, with the same
    /// images' statistics (training revisions 1-4).</summary>
    Same,
    /// <summary>The second view passes the slices in a random order and is put back, so the two views of an image are
    /// normalised with different images: MoCo's shuffled BatchNorm applied to an encoder without a key encoder.</summary>
    Shuffled,
}

/// <summary>Numeric precision of the encoders' forward and backward passes.</summary>
public enum Precision
{
    /// <summary>float32 everywhere (default).</summary>
    Fp32,
    /// <summary>bfloat16 compute with float32 master weights, optimizer state and losses.</summary>
    Bf16,
}

/// <summary>Every training setting. Defaults are the paper's ImageNet values; see <see cref="Presets"/> for small data.</summary>
public sealed record TrainingOptions
{
    /// <summary>Method; PCL is the paper's.</summary>
    public Method Method { get; init; } = Method.Pcl;

    /// <summary>Total epochs: 200 (paper, Sec. 4).</summary>
    public int Epochs { get; init; } = 200;

    /// <summary>Epochs with InfoNCE only before the first E-step: 20 (paper, Sec. 4; main_pcl.py --warmup-epoch).</summary>
    public int WarmupEpochs { get; init; } = 20;

    /// <summary>Minibatch size: 256 (paper).</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>Initial learning rate: 0.03 (paper).</summary>
    public double LearningRate { get; init; } = 0.03;

    /// <summary>SGD momentum: 0.9 (paper).</summary>
    public double SgdMomentum { get; init; } = 0.9;

    /// <summary>Weight decay: 1e-4 (paper).</summary>
    public double WeightDecay { get; init; } = 1e-4;

    /// <summary>Schedule: step decay at 120 and 160 of 200 epochs (paper v1); cosine for v2.</summary>
    public LrSchedule Schedule { get; init; } = LrSchedule.Step;

    /// <summary>Queue size r: 16384 (paper, ImageNet; main_pcl.py --pcl-r default=16384).</summary>
    public int QueueSize { get; init; } = 16384;

    /// <summary>Temperature tau: 0.2 (salesforce/PCL's released command line, --temperature 0.2).</summary>
    public double Temperature { get; init; } = 0.2;

    /// <summary>Momentum encoder coefficient m: 0.999 (MoCo, PCL).</summary>
    public double EncoderMomentum { get; init; } = 0.999;

    /// <summary>Cluster counts per granularity: 25000, 50000, 100000 (paper, ImageNet).</summary>
    public int[] Clusters { get; init; } = [25000, 50000, 100000];

    /// <summary>Symmetric loss: false in the paper (one query view per image). When true, each view is the query once and
    /// the other its key (MoCo's CIFAR-10 demo, MoCo v3), and the prototype term is applied to both views. The two
    /// directions are averaged, where the demo and MoCo v3 add them: ProtoCL's choice, so that the instance and prototype
    /// terms keep the paper's 1:1 weight; the instance gradient is then half the demo's (as its learning rate halved).
    /// SimCLR and PCL-SimCLR have no query view (NT-Xent treats both alike; PCL-SimCLR's prototype term takes both
    /// views, results/ablation/table1-variants.md), so there it changes nothing.</summary>
    public bool Symmetric { get; init; }

    /// <summary>SimCLR methods' second view in the split BatchNorm: shuffled, so no slice holds both views of an image, as
    /// in the SimCLR paper's BatchNorm over the global batch (ProtoCL's one-device choice since training revision 5,
    /// results/ablation/view-bn.md; revisions 1-4 trained with <see cref="ViewBatchNorm.Same"/>).</summary>
    public ViewBatchNorm ViewBatchNorm { get; init; } = ViewBatchNorm.Shuffled;

    /// <summary>Layout of the prototype term's logits: the reference implementation's (salesforce/PCL pcl/builder.py).</summary>
    public PrototypeLogits PrototypeLogits { get; init; } = PrototypeLogits.Reference;

    /// <summary>k-means iterations: 20 (main_pcl.py run_kmeans, clus.niter).</summary>
    public int KMeansIterations { get; init; } = 20;

    /// <summary>k-means restarts keeping the best objective: 5 (clus.nredo).</summary>
    public int KMeansRestarts { get; init; } = 5;

    /// <summary>Encoder architecture and head.</summary>
    public EncoderOptions Encoder { get; init; } = new();

    /// <summary>Augmentation pipeline.</summary>
    public AugmentationOptions Augmentation { get; init; } = new();

    /// <summary>Compute precision of the encoders: float32, as main_pcl.py trains (it has no mixed precision); bf16 is ProtoCL's own option.</summary>
    public Precision Precision { get; init; } = Precision.Fp32;

    /// <summary>Seed of every random choice (initialisation, augmentation, order, negative sampling): 0; main_pcl.py --seed defaults to none (unseeded), ProtoCL always seeds.</summary>
    public int Seed { get; init; }

    /// <summary>Intra-op threads: every processor (a ProtoCL-only setting; the reference runs one process per GPU); results repeat exactly for the same seed and thread count.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Images per E-step feature batch: 512, ProtoCL's choice (main_pcl.py's eval_loader uses batch_size*5 = 1280); in eval mode no image's feature depends on its batch-mates, so the size trades speed against memory.</summary>
    public int FeatureBatchSize { get; init; } = 512;

    /// <summary>Use only the first N images (null: all).</summary>
    public int? Limit { get; init; }

    /// <summary>The side S a folder of images was loaded at, each image's centred square resized to S x S
    /// (<see cref="ProtoCL.Data.DataLoadOptions.ImageSize"/>; <c>--image-size</c>); null: the images' own size. Recorded
    /// so that later reads of a folder for this run (resume, embed, eval, ...) load it the same way.</summary>
    public int? LoadSize { get; init; }

    /// <summary>Whether a folder of images was read turned upright by each image's EXIF orientation
    /// (<see cref="ProtoCL.Data.DataLoadOptions.ApplyExifOrientation"/>; <c>--exif-orientation</c>); off, as the reference's
    /// PIL loader reads images. Recorded so that later reads of a folder for this run load it the same way.</summary>
    public bool ExifOrientation { get; init; }

    /// <summary>The tensor type the encoders compute in under <see cref="Precision"/>: bfloat16 activations (float32 master
    /// weights) under bf16.</summary>
    [JsonIgnore] public TorchSharp.torch.ScalarType ComputeType =>
        Precision == Precision.Bf16 ? TorchSharp.torch.ScalarType.BFloat16 : TorchSharp.torch.ScalarType.Float32;

    /// <summary>True for methods that use prototypes.</summary>
    [JsonIgnore] public bool UsesPrototypes => Method is Method.Pcl or Method.PclSimclr;

    /// <summary>True for methods with a momentum encoder and queue.</summary>
    [JsonIgnore] public bool UsesMomentumEncoder => Method is Method.Moco or Method.Pcl;

    /// <summary>These options with every setting the method never reads put back to its default (MoCo: no prototypes;
    /// SimCLR: no queue, no momentum encoder, no prototypes; PCL-SimCLR: no momentum encoder, and r only matters when
    /// it is smaller than the largest K), so two runs of one method compare equal exactly when they train the same way.</summary>
    public TrainingOptions WithoutUnusedSettings()
    {
        var d = new TrainingOptions();
        var o = this;
        if (!UsesPrototypes)
            o = o with { Clusters = d.Clusters, WarmupEpochs = d.WarmupEpochs, KMeansIterations = d.KMeansIterations, KMeansRestarts = d.KMeansRestarts, PrototypeLogits = d.PrototypeLogits };
        if (!UsesMomentumEncoder)
        {
            o = o with { EncoderMomentum = d.EncoderMomentum };
            if (!UsesPrototypes || QueueSize >= Clusters.Max()) o = o with { QueueSize = d.QueueSize };
        }
        if (!UsesMomentumEncoder) o = o with { Symmetric = d.Symmetric }; // SimCLR methods treat both views alike already
        if (UsesMomentumEncoder || Encoder.BnGroups == 1) o = o with { ViewBatchNorm = d.ViewBatchNorm }; // MoCo methods shuffle their keys; one slice has no order
        return o;
    }

    /// <summary>Learning rate for a 0-based epoch under the schedule.</summary>
    public double LearningRateAt(int epoch) => Schedule switch
    {
        LrSchedule.Cosine => LearningRate * 0.5 * (1 + Math.Cos(Math.PI * epoch / Epochs)),
        _ => LearningRate * (epoch >= (int)Math.Round(0.8 * Epochs) ? 0.01 : epoch >= (int)Math.Round(0.6 * Epochs) ? 0.1 : 1.0),
    };
}
