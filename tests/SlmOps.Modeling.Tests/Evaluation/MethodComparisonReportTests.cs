using SlmOps.Modeling.Evaluation;

namespace SlmOps.Modeling.Tests.Evaluation;

public class MethodComparisonReportTests
{
    private static readonly MethodComparisonReport Report = new("cpu", [
        new MethodResult { Method = "llm-alone", TaskValLoss = 3.0, BaseValLossUnplugged = 2.0, TrainableParameters = 0 },
        new MethodResult { Method = "slm-tokens", TaskValLoss = Math.Log(4), BaseValLossPlugged = 2.5, BaseValLossUnplugged = 2.0,
            TrainableParameters = 1_234_567, PeakMemoryBytes = 3 * 1024 * 1024, StepTimeMs = 12.345, TokensPerSecond = 2000 },
    ]);

    [Fact]
    public void Markdown_has_one_row_per_method_best_first_with_perplexity()
    {
        var lines = Report.ToMarkdown().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("# Method comparison (cpu)", lines[0]);
        Assert.StartsWith("| slm-tokens | 1.3863 | n/a | 4.00 | 2.5000 | 2.0000 | 1,234,567 | 3.0 | 12.3 | 2,000 |", lines[3]);
        Assert.StartsWith("| llm-alone | 3.0000 | n/a | 20.09 | n/a | 2.0000 | 0 | n/a | n/a | n/a |", lines[4]);
    }

    [Fact]
    public void Json_round_trips()
    {
        var back = MethodComparisonReport.FromJson(Report.ToJson());
        Assert.Equal(Report.Device, back.Device);
        Assert.Equal(Report.Methods, back.Methods);
        Assert.Contains("\"taskPerplexity\"", Report.ToJson());
    }

    [Fact]
    public void Several_seeds_show_the_spread_of_task_loss_and_gap_closed()
    {
        var report = new MethodComparisonReport("cpu", [
            new MethodResult { Method = "adapter", TaskValLoss = 2.0, TrainableParameters = 10, GapClosed = 0.5,
                TaskValLossPerSeed = [1.9, 2.0, 2.1], GapClosedPerSeed = [0.45, 0.5, 0.55] },
        ], Seeds: 3);
        var lines = report.ToMarkdown().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("# Method comparison (cpu, mean of 3 seeds)", lines[0]);
        Assert.Equal("| adapter | 2.0000 | 1.9000–2.1000 | 7.39 | n/a | n/a | 10 | n/a | n/a | n/a | 50.0% | 45.0–55.0 |", lines[3]);
        Assert.Contains("adapter,10,,,,2,1.9,2.1,", report.ToCsv());
    }
}
