using SlmOps.Modeling.Architectures;
using SlmOps.Modeling.Models;
using SlmOps.Torch;

namespace SlmOps.Modeling.Peft;

/// <summary>
/// The shape of plug-in modules. <see cref="Module"/> "adapter" (the default, and what artifacts written before LoRA
/// existed hold): bottleneck adapters of width <see cref="Bottleneck"/> in E_s. "lora": LoRA of <see cref="Rank"/>
/// on every Linear, in E_s and the small model's table/MLP width <see cref="SmallMlpWidth"/>.
/// </summary>
public sealed record PluginConfig(int Bottleneck, int Layers, long SmallWidth, long LlmWidth, int SmallLayers, int Ratio, string BaseModelWeightsSha256)
{
    public string Module { get; init; } = PeftLimits.DefaultPluginModule;
    public int Rank { get; init; }
    public double Alpha { get; init; }
    public long SmallMlpWidth { get; init; }
    public long LlmMlpWidth { get; init; }
    public long VocabSize { get; init; }

    public bool IsLora => Module == "lora";
}

/// <summary>
/// What plug-in PEFT hands to the LLM and what its artifact holds: the modules, one set per LLM block in the small
/// model's widths (the small model's layers duplicated to the LLM's depth), and W_plug (E_l × E_s; for LoRA also
/// W_plug_emb and W_plug_mlp, Ve_l × Ve_s), through which they read and write the LLM's features. Nothing of the LLM or
/// the bridge is in it.
/// </summary>
public sealed class PluginModules : torch.nn.Module, IAttachedModules
{
    public const string Kind = "plugin-peft";
    private readonly AdapterSet? _adapters;
    private readonly PluginLora? _lora;

    /// <param name="plugs">W_plug per feature kind: "res" always, "emb" and "mlp" for LoRA.</param>
    private PluginModules(PluginConfig config, torch.nn.Module modules, IReadOnlyDictionary<string, Tensor> plugs) : base(nameof(PluginModules))
    {
        Config = config;
        register_module(config.IsLora ? "lora" : "adapters", modules);
        foreach (var (kind, plug) in plugs) register_parameter(PlugName(kind), torch.nn.Parameter(plug));
    }

    public PluginModules(PluginConfig config, AdapterSet adapters, Tensor plug) : this(config, (torch.nn.Module)adapters, new Dictionary<string, Tensor> { ["res"] = plug }) =>
        _adapters = adapters;

    public PluginModules(PluginConfig config, PluginLora lora, IReadOnlyDictionary<string, Tensor> plugs) : this(config, (torch.nn.Module)lora, plugs) =>
        _lora = lora;

    public PluginConfig Config { get; }
    public Tensor WPlug => Plug("res");

    /// <summary>W_plug of a feature kind ("res", "emb", "mlp").</summary>
    public Tensor Plug(string kind) => get_parameter(PlugName(kind))!;

    /// <summary>
    /// Attaches the modules to <paramref name="model"/> (the LLM's architecture, its depth), each reading a feature axis
    /// through <paramref name="down"/>(axis) (the bridge's W_down; null on the LLM itself) and then W_plug.
    /// </summary>
    public void AttachTo(LanguageModel model, Func<string, Tensor?> down)
    {
        IReadOnlyList<Tensor> Projections(string axis) =>
            down(axis) is { } d ? [d, Plug(PluginLora.KindOf(axis))] : [Plug(PluginLora.KindOf(axis))];
        if (_lora is not null)
        {
            _lora.AttachTo(model, Projections);
            return;
        }
        var plug = Projections("res");
        foreach (var (mixing, mlp) in _adapters!.Layers)
        {
            mixing.Plug = plug;
            mlp.Plug = plug;
        }
        _adapters.AttachTo(model);
    }

    /// <summary>The feature axes the modules read, which the bridge stage gives a W_down each.</summary>
    public IEnumerable<string> Axes => Config.IsLora ? ["res", "emb", .. Enumerable.Range(0, Config.Layers).Select(i => $"mlp{i}")] : ["res"];

    /// <summary>Plugs into the full LLM: the modules read its features through W_plug alone.</summary>
    public void PlugInto(LanguageModel llm) => AttachTo(llm, _ => null);

    public void DetachFrom()
    {
        _adapters?.DetachFrom();
        _lora?.DetachFrom();
    }

    public Checkpoints.Sha256Manifest Save(string dir) => PeftFiles.Save(dir, this, Kind, Config);

    /// <summary>Loads modules saved by <see cref="Save"/> and plugs them into the same LLM (checked by weights hash).</summary>
    public static PluginModules Load(string dir, LanguageModel llm)
    {
        var config = PeftFiles.ReadConfig<PluginConfig>(dir);
        PeftFiles.EnsureSameBase(config.BaseModelWeightsSha256, WeightsHash.Of(llm), "plug-in modules");
        var device = llm.parameters().First().device;
        var modules = Create(config, device);
        PeftFiles.LoadWeights(dir, modules);
        modules.PlugInto(llm);
        return modules;
    }

    /// <summary>Modules of the config's shape for the LLM's depth, W_plug the identity on the leading coordinates.</summary>
    public static PluginModules Create(PluginConfig config, Device device)
    {
        if (!config.IsLora)
            return new PluginModules(config, AdapterSet.Create(config.Layers, config.SmallWidth, config.Bottleneck, config.BaseModelWeightsSha256, device),
                torch.eye(config.LlmWidth, config.SmallWidth, device: device));
        var lora = PluginLora.Create(new PluginLoraShape(config.Layers, config.SmallWidth, config.SmallMlpWidth, config.VocabSize, config.Rank, config.Alpha), device);
        return new PluginModules(config, lora, Plugs(config, device));
    }

    /// <summary>Takes a trained, depth-matched LoRA set (owned from here on) with W_plug the identity on the leading coordinates.</summary>
    public static PluginModules Of(PluginConfig config, PluginLora lora, Device device) => new(config, lora, Plugs(config, device));

    private static Dictionary<string, Tensor> Plugs(PluginConfig config, Device device) => new()
    {
        ["res"] = torch.eye(config.LlmWidth, config.SmallWidth, device: device),
        ["emb"] = torch.eye(config.LlmMlpWidth, config.SmallMlpWidth, device: device),
        ["mlp"] = torch.eye(config.LlmMlpWidth, config.SmallMlpWidth, device: device),
    };

    /// <summary>"w_plug" for the residual stream (the name adapter artifacts have always used), "w_plug_{kind}" otherwise.</summary>
    private static string PlugName(string kind) => kind == "res" ? "w_plug" : $"w_plug_{kind}";
}
