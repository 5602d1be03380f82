using SlmOps.Modeling.Evaluation;

namespace SlmOps.Modeling.Tests.Evaluation;

public class MethodComparisonReportTests
{
    private static readonly MethodComparisonReport Report = new("cpu", [
        new MethodResult { Method = "llm-alone", TaskValLoss = 3.0, BaseValLossUnplugged = 2.0, TrainableParameters = 0 },
        new MethodResult { Method = "slm-tokens", TaskValLoss = Math.Log(4), BaseValLossPlugged = 2.5, BaseValLossUnplugged = 2.0,
            TrainableParameters = 1_234_567, PeakMemoryBytes = 3 * 1024 * 1024, StepTimeMs = 12.345 },
    ]);

    [Fact]
    public void Markdown_has_one_row_per_method_best_first_with_perplexity()
    {
        var lines = Report.ToMarkdown().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("# Method comparison (cpu)", lines[0]);
        Assert.StartsWith("| slm-tokens | 1.3863 | 4.00 | 2.5000 | 2.0000 | 1,234,567 | 3.0 | 12.3 |", lines[3]);
        Assert.StartsWith("| llm-alone | 3.0000 | 20.09 | n/a | 2.0000 | 0 | n/a | n/a |", lines[4]);
    }

    [Fact]
    public void Json_round_trips()
    {
        var back = MethodComparisonReport.FromJson(Report.ToJson());
        Assert.Equal(Report.Device, back.Device);
        Assert.Equal(Report.Methods, back.Methods);
        Assert.Contains("\"taskPerplexity\"", Report.ToJson());
    }
}
