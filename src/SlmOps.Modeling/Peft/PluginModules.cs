using SlmOps.Modeling.Models;
using SlmOps.Torch;

namespace SlmOps.Modeling.Peft;

public sealed record PluginConfig(int Bottleneck, int Layers, long SmallWidth, long LlmWidth, int SmallLayers, int Ratio, string BaseModelWeightsSha256);

/// <summary>
/// What plug-in PEFT hands to the LLM and what its artifact holds: one adapter pair per LLM block in the small
/// model's width E_s (the small model's layers duplicated to the LLM's depth) and W_plug (E_l × E_s), through which the
/// adapters read and write the LLM's residual stream. Nothing of the LLM or the bridge is in it.
/// </summary>
public sealed class PluginModules : torch.nn.Module, IAttachedModules
{
    public const string Kind = "plugin-peft";

    public PluginModules(PluginConfig config, AdapterSet adapters, Tensor plug) : base(nameof(PluginModules))
    {
        Config = config;
        Adapters = adapters;
        register_module("adapters", adapters);
        register_parameter("w_plug", torch.nn.Parameter(plug));
    }

    public PluginConfig Config { get; }
    public AdapterSet Adapters { get; }
    public Tensor WPlug => get_parameter("w_plug")!;

    /// <summary>Attaches the adapters to every block of <paramref name="model"/>, reading it through <paramref name="projections"/> (outermost first, ending with W_plug).</summary>
    public void AttachTo(LanguageModel model, IReadOnlyList<Tensor> projections)
    {
        foreach (var (mixing, mlp) in Adapters.Layers)
        {
            mixing.Plug = projections;
            mlp.Plug = projections;
        }
        Adapters.AttachTo(model);
    }

    /// <summary>Plugs into the full LLM: the adapters read its residual stream through W_plug alone.</summary>
    public void PlugInto(LanguageModel llm) => AttachTo(llm, [WPlug]);

    public void DetachFrom() => Adapters.DetachFrom();

    public Checkpoints.Sha256Manifest Save(string dir) => PeftFiles.Save(dir, this, Kind, Config);

    /// <summary>Loads modules saved by <see cref="Save"/> and plugs them into the same LLM (checked by weights hash).</summary>
    public static PluginModules Load(string dir, LanguageModel llm)
    {
        var config = PeftFiles.ReadConfig<PluginConfig>(dir);
        PeftFiles.EnsureSameBase(config.BaseModelWeightsSha256, WeightsHash.Of(llm), "plug-in modules");
        var device = llm.parameters().First().device;
        var modules = new PluginModules(config, AdapterSet.Create(config.Layers, config.SmallWidth, config.Bottleneck, config.BaseModelWeightsSha256, device),
            torch.zeros([config.LlmWidth, config.SmallWidth], device: device));
        PeftFiles.LoadWeights(dir, modules);
        modules.PlugInto(llm);
        return modules;
    }
}
