using SlmOps.Modeling.Architectures;
using SlmOps.Modeling.Models;
using SlmOps.Torch;

namespace SlmOps.Modeling.Peft;

public sealed record AdapterConfig(int Bottleneck, int Layers, long Width, string BaseModelWeightsSha256);

/// <summary>
/// Bottleneck adapters (Houlsby et al.) after the mixing/attention and the MLP sublayer of every block of a frozen
/// model, kept in their own module (children "layer{i}_mixing", "layer{i}_mlp") and saved apart from the model.
/// </summary>
public sealed class AdapterSet : torch.nn.Module, IAttachedModules
{
    public const string Kind = "adapter";
    private readonly List<torch.nn.Module> _blocks = [];
    private readonly List<(BottleneckAdapter Mixing, BottleneckAdapter Mlp)> _layers = [];

    private AdapterSet(AdapterConfig config) : base(nameof(AdapterSet)) => Config = config;

    public AdapterConfig Config { get; }
    public IReadOnlyList<(BottleneckAdapter Mixing, BottleneckAdapter Mlp)> Layers => _layers;

    /// <summary>Creates one adapter pair per block (in the model's width) and attaches it.</summary>
    public static AdapterSet Attach(LanguageModel model, int bottleneck)
    {
        Validate(model.Config.Width, bottleneck);
        var device = model.parameters().First().device;
        var set = Create(model.BlockCount, model.Config.Width, bottleneck, WeightsHash.Of(model), device);
        set.AttachTo(model);
        return set;
    }

    /// <summary>Adapters of the given shape, attached to nothing yet (plug-in PEFT builds them for another model's width).</summary>
    public static AdapterSet Create(int layers, long width, int bottleneck, string baseWeightsSha256, Device device)
    {
        var set = new AdapterSet(new AdapterConfig(bottleneck, layers, width, baseWeightsSha256));
        for (var i = 0; i < layers; i++)
        {
            var mixing = new BottleneckAdapter(width, bottleneck, device);
            var mlp = new BottleneckAdapter(width, bottleneck, device);
            set.register_module($"layer{i}_mixing", mixing);
            set.register_module($"layer{i}_mlp", mlp);
            set._layers.Add((mixing, mlp));
        }
        return set;
    }

    /// <summary>Refuses a bottleneck that is not in 1..width, naming both.</summary>
    public static void Validate(long width, int bottleneck) => PeftLimits.Ensure(PeftLimits.AdapterBottleneck(width, bottleneck));

    /// <summary>Attaches adapter layer <c>map(i)</c> to block i of <paramref name="model"/> (identity by default).</summary>
    public void AttachTo(LanguageModel model, Func<int, int>? map = null)
    {
        for (var i = 0; i < model.BlockCount; i++)
        {
            var (mixing, mlp) = _layers[map?.Invoke(i) ?? i];
            var block = model.Block(i);
            SublayerAdapters.Attach(block, mixing, mlp);
            _blocks.Add(block);
        }
    }

    /// <summary>Removes the adapters from every block they were attached to; the model then computes exactly what it did before.</summary>
    public void DetachFrom()
    {
        foreach (var block in _blocks) SublayerAdapters.Detach(block);
        _blocks.Clear();
    }

    public Checkpoints.Sha256Manifest Save(string dir) => PeftFiles.Save(dir, this, Kind, Config);

    /// <summary>Loads adapters saved by <see cref="Save"/> onto the same base model (checked by weights hash) and attaches them.</summary>
    public static AdapterSet Load(string dir, LanguageModel model)
    {
        var config = PeftFiles.ReadConfig<AdapterConfig>(dir);
        PeftFiles.EnsureSameBase(config.BaseModelWeightsSha256, WeightsHash.Of(model), "adapters");
        var set = Attach(model, config.Bottleneck);
        PeftFiles.LoadWeights(dir, set);
        return set;
    }
}
