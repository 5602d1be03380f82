using SlmOps.Modeling.Lora;
using SlmOps.Modeling.Models;
using SlmOps.Torch;
using SlmOps.Torch.Modules;

namespace SlmOps.Modeling.Peft;

/// <summary>The widths plug-in LoRA's matrices are trained in: the small model's residual width E, table/MLP width Ve and vocabulary.</summary>
public sealed record PluginLoraShape(int Layers, long Width, long MlpWidth, long VocabSize, int Rank, double Alpha);

/// <summary>
/// LoRA as plug-in PEFT's module: one low-rank pair per Linear of an fft model (unify, every block's w1 and w2, head),
/// in the small model's widths, kept in its own module (children named after the target with '.' → '_'). Attached to a
/// model of other widths, each side of each pair reads that model's feature axis (<see cref="FisherBridge.Axes"/>:
/// "res", "emb", "mlp{i}"; the vocabulary is shared) through the projections the caller gives for that axis.
/// </summary>
public sealed class PluginLora : torch.nn.Module, IAttachedModules
{
    private readonly List<Linear> _targets = [];

    private PluginLora(PluginLoraShape shape) : base(nameof(PluginLora)) => Shape = shape;

    public PluginLoraShape Shape { get; }

    /// <summary>The pairs by target name ("unify", "blocks.{i}.w1", "blocks.{i}.w2", "head").</summary>
    public IReadOnlyDictionary<string, LoraLayer> Layers => _layers;
    private readonly Dictionary<string, LoraLayer> _layers = [];

    public static IEnumerable<string> Targets(int layers) =>
        ["unify", .. Enumerable.Range(0, layers).SelectMany(i => new[] { $"blocks.{i}.w1", $"blocks.{i}.w2" }), "head"];

    public static PluginLora Create(PluginLoraShape shape, Device device)
    {
        var set = new PluginLora(shape);
        foreach (var target in Targets(shape.Layers))
        {
            var axes = FisherBridge.Axes(target + ".weight"); // [out, in]
            var layer = new LoraLayer(set.WidthOf(axes[1]), set.WidthOf(axes[0]), shape.Rank, shape.Alpha, device);
            set.register_module(target.Replace('.', '_'), layer);
            set._layers[target] = layer;
        }
        return set;
    }

    /// <summary>
    /// Attaches pair <paramref name="source"/>(target) to each Linear target of <paramref name="model"/> (an fft model of
    /// the same target names), each side reading its axis through <paramref name="projections"/>(axis) (null: the model's
    /// own width, no projection).
    /// </summary>
    public void AttachTo(LanguageModel model, Func<string, IReadOnlyList<Tensor>?> projections)
    {
        var linears = model.named_modules().Where(m => m.Module is Linear).ToDictionary(m => m.Name, m => (Linear)m.Module);
        foreach (var (target, layer) in _layers)
        {
            var linear = linears.GetValueOrDefault(target) ?? throw new ArgumentException($"The model has no Linear '{target}' for plug-in LoRA.");
            var axes = FisherBridge.Axes(target + ".weight");
            layer.PlugOut = axes[0] is { } outAxis ? projections(outAxis) : null;
            layer.PlugIn = axes[1] is { } inAxis ? projections(inAxis) : null;
            LinearAdapters.Attach(linear, layer);
            _targets.Add(linear);
        }
    }

    public void DetachFrom()
    {
        foreach (var linear in _targets) LinearAdapters.Detach(linear);
        _targets.Clear();
    }

    /// <summary>Depth matching: a set for <paramref name="layers"/> blocks whose block l pairs are copies of this set's ⌊l·k/L⌋.</summary>
    public PluginLora DepthMatched(int layers, Device device)
    {
        var matched = Create(Shape with { Layers = layers }, device);
        using var _ = torch.no_grad();
        foreach (var (target, to) in matched._layers)
        {
            var parts = target.Split('.');
            var from = parts.Length == 3 ? _layers[$"blocks.{int.Parse(parts[1]) * Shape.Layers / layers}.{parts[2]}"] : _layers[target];
            to.A.copy_(from.A);
            to.B.copy_(from.B);
        }
        return matched;
    }

    /// <summary>The kind of feature an axis is: "res", "emb" or "mlp" (every block's MLP shares one projection).</summary>
    public static string KindOf(string axis) => axis.StartsWith("mlp", StringComparison.Ordinal) ? "mlp" : axis;

    private long WidthOf(string? axis) => axis is null ? Shape.VocabSize : KindOf(axis) == "res" ? Shape.Width : Shape.MlpWidth;
}
