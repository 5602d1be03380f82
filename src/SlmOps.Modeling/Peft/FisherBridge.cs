using System.Globalization;
using SlmOps.Modeling.Architectures;
using SlmOps.Modeling.Data;
using SlmOps.Modeling.Models;
using SlmOps.Modeling.Training;
using SlmOps.Torch;

namespace SlmOps.Modeling.Peft;

/// <summary>A pruned LLM and, per feature axis ("res", "emb", "mlp{i}"), where its kept coordinates sit in the LLM's.</summary>
public sealed record Bridge(LanguageModel Model, IReadOnlyDictionary<string, long[]> Kept, IReadOnlyDictionary<string, double> AxisScoreShareKept)
{
    public long[] ResidualKept => Kept["res"];
}

/// <summary>
/// Ladder Side-Tuning's way of making a small network from an LLM, as plug-in PEFT uses it for its bridge model: the
/// Fisher information of every weight on task data (squared gradients of the log-likelihood, summed over a few
/// batches) is summed per row and column, and every feature dimension keeps its top 1/r coordinates by that score.
/// </summary>
/// <remarks>
/// A dimension shared by several matrices is one choice, made on the sum of their scores: the residual stream (its
/// columns/rows in the unification, both LayerNorms, W1, W2 and the head) keeps one set of E/r coordinates, so the
/// residual sums stay aligned; the tables' width and each block's sine-MLP width keep Ve/r. The T×T time mixing is over
/// positions, not features, and is kept whole. LayerNorms over the kept coordinates normalise over fewer of them, as in
/// Ladder Side-Tuning. The gradients are taken on a throw-away copy of the LLM: the frozen LLM never gets one.
/// Only the fft architecture is pruned here (gpt's attention would need a per-head choice of q/k and v coordinates).
/// </remarks>
public static class FisherBridge
{
    /// <summary>Refuses a reduction that leaves a dimension of zero, or an architecture this pruning does not cover.</summary>
    public static void Validate(ModelConfig llm, int ratio) => PeftLimits.Ensure(PeftLimits.PluginRatio(llm, ratio));

    public static Bridge Build(LanguageModel llm, int[] taskTokens, int ratio, int batches, int batchSize, int blockSize, Device device)
    {
        Validate(llm.Config, ratio);
        var fft = (FftConfig)llm.Config;
        var scores = FisherScores(llm, taskTokens, batches, batchSize, blockSize, device);
        var keep = new Dictionary<string, long[]>();
        var share = new Dictionary<string, double>();
        foreach (var (axis, score) in scores)
        {
            var size = axis == "res" ? fft.Width / ratio : fft.EmbeddingDim / ratio;
            var order = Enumerable.Range(0, score.Length).OrderByDescending(i => score[i]).ThenBy(i => i).Take(size).Order().Select(i => (long)i).ToArray();
            keep[axis] = order;
            var total = score.Sum();
            share[axis] = total > 0 ? order.Sum(i => score[i]) / total : 0;
        }
        var config = fft with { Width = fft.Width / ratio, EmbeddingDim = fft.EmbeddingDim / ratio };
        var bridge = ModelFactory.CreateForLoading(config);
        var source = llm.state_dict();
        using (torch.no_grad())
        {
            foreach (var (name, target) in bridge.state_dict())
            {
                var value = source[name].alias();
                var axes = Axes(name);
                for (var d = 0; d < axes.Length; d++)
                {
                    if (axes[d] is not { } axis) continue;
                    using var index = torch.tensor(keep[axis], [keep[axis].LongLength], device: value.device);
                    var next = value.index_select(d, index);
                    value.Dispose();
                    value = next;
                }
                using (value) target.copy_(value);
            }
        }
        bridge.to(device);
        return new Bridge(bridge, keep, share);
    }

    /// <summary>Per feature axis, the summed squared gradients of every weight row/column on that axis.</summary>
    private static Dictionary<string, double[]> FisherScores(LanguageModel llm, int[] tokens, int batches, int batchSize, int blockSize, Device device)
    {
        using var copy = ModelFactory.CreateForLoading(llm.Config);
        copy.load_state_dict(llm.state_dict());
        copy.to(device);
        copy.eval();
        var parameters = copy.named_parameters().ToList();
        var squared = new Dictionary<string, Tensor>();
        try
        {
            var any = false;
            foreach (var batch in BatchSampler.Sequential(tokens, batchSize, blockSize, batches))
            {
                any = true;
                using var scope = torch.NewDisposeScope();
                foreach (var (_, p) in parameters) p.grad = null;
                var (x, y) = Trainer.ToTensors(batch, device);
                var loss = new LanguageModelObjective(copy).Loss(x, y);
                loss.backward();
                using (torch.no_grad())
                    foreach (var (name, p) in parameters)
                    {
                        if (p.grad is not { } g) continue;
                        var sq = (g * g).DetachFromDisposeScope();
                        if (squared.Remove(name, out var sum)) { using (sum) squared[name] = (sum + sq).DetachFromDisposeScope(); sq.Dispose(); }
                        else squared[name] = sq;
                    }
            }
            if (!any) throw new ArgumentException($"{tokens.Length} task tokens cannot fill one block of {blockSize} for the Fisher scores.");
            var scores = new Dictionary<string, double[]>();
            foreach (var (name, sq) in squared)
            {
                var axes = Axes(name);
                for (var d = 0; d < axes.Length; d++)
                {
                    if (axes[d] is not { } axis) continue;
                    using var reduced = axes.Length == 1 ? sq.alias() : sq.sum(1 - d);
                    using var cpu = reduced.to(Device.CPU);
                    var values = cpu.ToArray<float>();
                    if (!scores.TryGetValue(axis, out var acc)) scores[axis] = acc = new double[values.Length];
                    for (var i = 0; i < values.Length; i++) acc[i] += values[i];
                }
            }
            return scores;
        }
        finally
        {
            foreach (var t in squared.Values) t.Dispose();
        }
    }

    /// <summary>
    /// Which feature axis each dimension of an fft parameter runs along (null: not pruned): "res" (the residual stream),
    /// "emb" (the tables' width), "mlp{i}" (block i's sine MLP). Plug-in LoRA reads its projections from the same rule.
    /// </summary>
    public static string?[] Axes(string name)
    {
        var parts = name.Split('.');
        if (parts[0] == "blocks")
        {
            var mlp = "mlp" + parts[1];
            return (parts[2], parts[3]) switch
            {
                ("mix", _) => [null, null],
                ("w1", "weight") => [mlp, "res"],
                ("w1", _) => [mlp],
                ("w2", "weight") => ["res", mlp],
                _ => ["res"], // ln1, ln2, w2.bias
            };
        }
        return name switch
        {
            "tok.weight" or "pos.weight" => [null, "emb"],
            "ln_emb.weight" or "ln_emb.bias" => ["emb"],
            "unify.weight" => ["res", "emb"],
            "head.weight" => [null, "res"],
            "head.bias" => [null],
            "unify.bias" or "ln_head.weight" or "ln_head.bias" => ["res"],
            _ => throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"No pruning rule for fft parameter '{name}'.")),
        };
    }
}
