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
}

/// <summary>The comparison every claim rests on, as JSON (for the registry) and markdown (for people).</summary>
public sealed record MethodComparisonReport(string Device, IReadOnlyList<MethodResult> Methods)
{
    public string ToJson() => JsonSerializer.Serialize(this, ModelingJson.Options);

    public static MethodComparisonReport FromJson(string json) =>
        JsonSerializer.Deserialize<MethodComparisonReport>(json, ModelingJson.Options)
        ?? throw new InvalidDataException("Empty method-comparison report.");

    public string ToMarkdown()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(inv, $"# Method comparison ({Device})\n\n");
        sb.Append("| method | task val loss | task ppl | base val loss plugged | base val loss unplugged | trainable params | peak memory (MiB) | step time (ms) | gap closed |\n");
        sb.Append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        foreach (var m in Methods.OrderBy(m => m.TaskValLoss))
        {
            sb.Append(inv, $"| {m.Method} | {m.TaskValLoss:F4} | {m.TaskPerplexity:F2} | {Opt(m.BaseValLossPlugged, "F4")} | {Opt(m.BaseValLossUnplugged, "F4")} | ");
            sb.Append(inv, $"{m.TrainableParameters:N0} | {Opt(m.PeakMemoryBytes / (1024.0 * 1024.0), "F1")} | {Opt(m.StepTimeMs, "F1")} | {Opt(m.GapClosed * 100, "F1")}{(m.GapClosed is null ? "" : "%")} |\n");
        }
        return sb.ToString();
    }

    /// <summary>One row per method in run order; empty cells where a number does not apply.</summary>
    public string ToCsv()
    {
        var sb = new StringBuilder("method,trainable_parameters,peak_memory_bytes,step_time_ms,task_val_loss,task_perplexity,base_val_loss_plugged,base_val_loss_unplugged,gap_closed\n");
        foreach (var m in Methods)
            sb.AppendJoin(',', m.Method, Num(m.TrainableParameters), Num(m.PeakMemoryBytes), Num(m.StepTimeMs), Num(m.TaskValLoss), Num(m.TaskPerplexity),
                Num(m.BaseValLossPlugged), Num(m.BaseValLossUnplugged), Num(m.GapClosed)).Append('\n');
        return sb.ToString();

        static string Num(double? v) => v is { } x ? x.ToString("R", CultureInfo.InvariantCulture) : "";
    }

    private static string Opt(double? v, string format) => v is { } x ? x.ToString(format, CultureInfo.InvariantCulture) : "n/a";
}
