using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SlmOps.Modeling.Evaluation;

/// <summary>One adaptation method's numbers, measured on the same task and base validation data as the others.</summary>
public sealed record MethodResult
{
    public required string Method { get; init; }
    public required double TaskValLoss { get; init; }
    public double TaskPerplexity => Math.Exp(TaskValLoss);
    /// <summary>Base-corpus validation loss with the module plugged in (null when the method has no base corpus reading).</summary>
    public double? BaseValLossPlugged { get; init; }
    /// <summary>Base-corpus validation loss of the frozen LLM alone (the "unplugged" reference).</summary>
    public double? BaseValLossUnplugged { get; init; }
    public required long TrainableParameters { get; init; }
    public long? PeakMemoryBytes { get; init; }
    public double? StepTimeMs { get; init; }
    /// <summary>Share of the llm-alone → full-finetune task-loss gap this method closes (null without both baselines).</summary>
    public double? GapClosed { get; init; }
    /// <summary>Training tokens per second at the median step (batch × block / median step time).</summary>
    public double? TokensPerSecond { get; init; }
    /// <summary>Sampled tokens mode only: the same trained pair's task loss with the LLM's argmax fed instead of draws.</summary>
    public double? TokensLossArgmax { get; init; }
    /// <summary>Sampled tokens mode only: the same pair's task loss from one draw per position (what evaluation reported before K draws).</summary>
    public double? TokensLossOneDraw { get; init; }
    /// <summary>Sampled tokens mode only: how many draws <see cref="TaskValLoss"/> averages the pair's probability over.</summary>
    public int? TokensEvalDraws { get; init; }
    /// <summary>With several seeds: each seed's task loss (<see cref="TaskValLoss"/> is their mean); null for one seed.</summary>
    public IReadOnlyList<double>? TaskValLossPerSeed { get; init; }
    /// <summary>With several seeds: each seed's gap closed (<see cref="GapClosed"/> is their mean); null for one seed.</summary>
    public IReadOnlyList<double>? GapClosedPerSeed { get; init; }
    /// <summary>How the method was set up and measured, in words (e.g. plug-in PEFT's stages), for the notes.</summary>
    public string? Detail { get; init; }
}

/// <summary>The comparison every claim rests on, as JSON (for the registry) and markdown (for people).</summary>
/// <param name="Seeds">How many training seeds each row averages (its per-seed lists hold them when more than one).</param>
public sealed record MethodComparisonReport(string Device, IReadOnlyList<MethodResult> Methods, int Seeds = 1)
{
    public string ToJson() => JsonSerializer.Serialize(this, ModelingJson.Options);

    public static MethodComparisonReport FromJson(string json) =>
        JsonSerializer.Deserialize<MethodComparisonReport>(json, ModelingJson.Options)
        ?? throw new InvalidDataException("Empty method-comparison report.");

    public string ToMarkdown()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(inv, $"# Method comparison ({Device}{(Seeds > 1 ? $", mean of {Seeds} seeds" : "")})\n\n");
        sb.Append("| method | task val loss | task loss min–max | task ppl | base val loss plugged | base val loss unplugged | trainable params | peak training memory (MiB) | step time (ms) | training tok/s | gap closed | gap closed min–max |\n");
        sb.Append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        foreach (var m in Methods.OrderBy(m => m.TaskValLoss))
        {
            sb.Append(inv, $"| {m.Method} | {m.TaskValLoss:F4} | {Range(m.TaskValLossPerSeed, 1, "F4")} | {m.TaskPerplexity:F2} | {Opt(m.BaseValLossPlugged, "F4")} | {Opt(m.BaseValLossUnplugged, "F4")} | ");
            sb.Append(inv, $"{m.TrainableParameters:N0} | {Opt(m.PeakMemoryBytes / (1024.0 * 1024.0), "F1")} | {Opt(m.StepTimeMs, "F1")} | {Opt(m.TokensPerSecond, "N0")} | ");
            sb.Append(inv, $"{Opt(m.GapClosed * 100, "F1")}{(m.GapClosed is null ? "" : "%")} | {Range(m.GapClosedPerSeed, 100, "F1")} |\n");
        }
        foreach (var m in Methods.Where(m => m.TokensLossOneDraw is not null))
            sb.Append(inv, $"\n{m.Method} task loss by how the LLM's tokens are read: argmax {Opt(m.TokensLossArgmax, "F4")}, one draw {Opt(m.TokensLossOneDraw, "F4")}, " +
                $"-log mean over K={m.TokensEvalDraws} draws {m.TaskValLoss:F4} (the table's number).\n");
        return sb.ToString();
    }

    /// <summary>One row per method in run order; empty cells where a number does not apply.</summary>
    public string ToCsv()
    {
        var sb = new StringBuilder("method,trainable_parameters,peak_memory_bytes,step_time_ms,tokens_per_second,task_val_loss,task_val_loss_min,task_val_loss_max,task_perplexity,base_val_loss_plugged,base_val_loss_unplugged,gap_closed,gap_closed_min,gap_closed_max,seeds\n");
        foreach (var m in Methods)
            sb.AppendJoin(',', m.Method, Num(m.TrainableParameters), Num(m.PeakMemoryBytes), Num(m.StepTimeMs), Num(m.TokensPerSecond), Num(m.TaskValLoss),
                Num(m.TaskValLossPerSeed?.Min()), Num(m.TaskValLossPerSeed?.Max()), Num(m.TaskPerplexity),
                Num(m.BaseValLossPlugged), Num(m.BaseValLossUnplugged), Num(m.GapClosed), Num(m.GapClosedPerSeed?.Min()), Num(m.GapClosedPerSeed?.Max()), Num(Seeds)).Append('\n');
        return sb.ToString();

        static string Num(double? v) => v is { } x ? x.ToString("R", CultureInfo.InvariantCulture) : "";
    }

    private static string Range(IReadOnlyList<double>? values, double scale, string format) =>
        values is { Count: > 0 } v ? $"{Opt(v.Min() * scale, format)}–{Opt(v.Max() * scale, format)}" : "n/a";

    private static string Opt(double? v, string format) => v is { } x ? x.ToString(format, CultureInfo.InvariantCulture) : "n/a";
}
