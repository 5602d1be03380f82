using Microsoft.AspNetCore.Components.Forms;
using SlmOps.Modeling.Evaluation;
using SlmOps.Web.Components.Pages.Compare;

namespace SlmOps.Web.ComponentTests.Pages;

/// <summary>The compare page's method table: a picked comparison.json becomes rows (best task val loss first), anything else an error.</summary>
public sealed class MethodComparisonSectionTests : DashboardTestContext
{
    private static readonly MethodComparisonReport Report = new("cpu (test)",
    [
        new MethodResult { Method = "llm-alone", TaskValLoss = 3.0, BaseValLossUnplugged = 2.5, TrainableParameters = 0, GapClosed = 0.0 },
        new MethodResult
        {
            Method = "slm-follower", TaskValLoss = 2.0, BaseValLossPlugged = 2.6, BaseValLossUnplugged = 2.5, TrainableParameters = 123_456,
            PeakMemoryBytes = 3 * 1024 * 1024, StepTimeMs = 12.5, GapClosed = 0.75,
        },
    ]);

    [Fact]
    public void A_report_fills_the_table_best_method_first_with_dashes_where_a_number_does_not_apply()
    {
        var section = Render<MethodComparisonSection>();
        Assert.Contains("No method comparison loaded", section.Markup);

        section.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(Report.ToJson(), "comparison.json"));

        var rows = section.FindAll(".slm-method-table tr.rz-data-row");
        Assert.Equal(2, rows.Count);
        var best = rows[0].QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToList();
        var alone = rows[1].QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToList();
        Assert.Equal("slm-follower", best[0]);
        Assert.Equal(["2.0000", "7.39", "2.6000", "2.5000", "123,456", "3.0", "12.5", "75.0"], best[1..9]);
        Assert.Equal("llm-alone", alone[0]);
        Assert.Equal("—", alone[3]); // base loss plugged: the LLM alone has nothing to plug
        Assert.Contains("comparison.json · device cpu (test)", section.Markup);
        Assert.Empty(section.FindAll("[data-testid=method-report-error]"));
    }

    [Fact]
    public void A_file_that_is_not_a_report_shows_why_and_how_to_make_one()
    {
        var section = Render<MethodComparisonSection>();

        section.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("""{"device": "cpu"}""", "notes.json"));

        var error = section.Find("[data-testid=method-report-error]").TextContent;
        Assert.Contains("notes.json", error);
        Assert.Contains("experiment compare --out DIR", error);
        Assert.Empty(section.FindAll(".slm-method-table"));
    }

    [Fact]
    public void A_file_over_the_limit_is_refused_before_it_is_read()
    {
        var section = Render<MethodComparisonSection>();

        section.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(new string(' ', 1024 * 1024 + 1), "huge.json"));

        Assert.Contains("huge.json is 1.0 MiB", section.Find("[data-testid=method-report-error]").TextContent);
    }
}
