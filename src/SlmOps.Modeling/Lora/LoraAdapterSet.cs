using SlmOps.Modeling.Checkpoints;
using SlmOps.Modeling.Models;
using SlmOps.Modeling.Peft;
using SlmOps.Torch;
using SlmOps.Torch.Modules;

namespace SlmOps.Modeling.Lora;

public sealed record LoraConfig(int Rank, double Alpha, IReadOnlyList<string> Targets, string BaseModelWeightsSha256);

/// <summary>
/// LoRA adapters for every targeted Linear of a (frozen) model, kept in their own module: the base
/// weights are never touched and the adapters save and load separately (adapter.safetensors +
/// adapter.json + manifest). Children are named after their target with '.' replaced by '_'.
/// </summary>
public sealed class LoraAdapterSet : torch.nn.Module, IAttachedModules
{
    public const string WeightsFile = PeftFiles.WeightsFile;
    public const string ConfigFile = PeftFiles.ConfigFile;
    private readonly List<(Linear Target, LoraLayer Layer)> _pairs = [];

    private LoraAdapterSet(LoraConfig config) : base(nameof(LoraAdapterSet)) => Config = config;

    public LoraConfig Config { get; }

    /// <summary>Creates adapters for the model's Linear layers whose names pass <paramref name="target"/> (all when null) and attaches them.</summary>
    public static LoraAdapterSet Attach(LanguageModel model, int rank = 8, double alpha = 16, Func<string, bool>? target = null)
    {
        var linears = model.named_modules().Where(m => m.Module is Linear && (target?.Invoke(m.Name) ?? true)).ToList();
        if (linears.Count == 0) throw new ArgumentException("No Linear layer matched the LoRA target filter.", nameof(target));
        var device = model.parameters().First().device;
        var set = new LoraAdapterSet(new LoraConfig(rank, alpha, linears.Select(l => l.Name).ToList(), WeightsHash.Of(model)));
        foreach (var (name, module) in linears)
        {
            var linear = (Linear)module;
            var layer = new LoraLayer(linear.in_features, linear.out_features, rank, alpha, device);
            set.register_module(name.Replace('.', '_'), layer);
            set._pairs.Add((linear, layer));
            LinearAdapters.Attach(linear, layer);
        }
        return set;
    }

    /// <summary>Removes the adapters from the model, which then computes exactly what it did before.</summary>
    public void DetachFrom()
    {
        foreach (var (target, _) in _pairs) LinearAdapters.Detach(target);
    }

    public Sha256Manifest Save(string dir) => PeftFiles.Save(dir, this, "lora", Config);

    /// <summary>Loads adapters saved by <see cref="Save"/> onto the same base model (checked by weights hash) and attaches them.</summary>
    public static LoraAdapterSet Load(string dir, LanguageModel model)
    {
        var config = PeftFiles.ReadConfig<LoraConfig>(dir);
        PeftFiles.EnsureSameBase(config.BaseModelWeightsSha256, WeightsHash.Of(model), "adapters");
        var targets = config.Targets.ToHashSet(StringComparer.Ordinal);
        var set = Attach(model, config.Rank, config.Alpha, targets.Contains);
        PeftFiles.LoadWeights(dir, set);
        return set;
    }
}
