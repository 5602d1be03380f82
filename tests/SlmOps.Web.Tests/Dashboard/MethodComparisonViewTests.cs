using SlmOps.Modeling.Evaluation;
using SlmOps.Web.Components.Pages.Compare;

namespace SlmOps.Web.Tests.Dashboard;

/// <summary>The Compare page's method-comparison section: comparison.json in, table rows or a readable error out.</summary>
public sealed class MethodComparisonViewTests
{
    private static readonly MethodComparisonReport Report = new("cuda:0 (test)",
    [
        new MethodResult
        {
            Method = "llm-alone", TaskValLoss = 3.0, BaseValLossUnplugged = 2.5, TrainableParameters = 0, GapClosed = 0.0,
        },
        new MethodResult
        {
            Method = "slm-follower", TaskValLoss = 2.0, BaseValLossPlugged = 2.6, BaseValLossUnplugged = 2.5, TrainableParameters = 123_456,
            PeakMemoryBytes = 3 * 1024 * 1024, StepTimeMs = 12.5, GapClosed = 0.75,
        },
        new MethodResult
        {
            Method = "full-finetune", TaskValLoss = 1.5, BaseValLossPlugged = 4.0, TrainableParameters = 9_000_000,
            PeakMemoryBytes = 512L * 1024 * 1024, StepTimeMs = 80, GapClosed = 1.0,
        },
    ]);

    [Fact]
    public void A_written_report_parses_into_rows_sorted_by_task_val_loss()
    {
        var parsed = MethodComparisonView.Parse(Report.ToJson(), "comparison.json");

        Assert.Null(parsed.Error);
        Assert.Equal("cuda:0 (test)", parsed.Device);
        Assert.Equal(["full-finetune", "slm-follower", "llm-alone"], parsed.Rows.Select(r => r.Method));
        var follower = parsed.Rows[1];
        Assert.Equal(2.0, follower.TaskValLoss);
        Assert.Equal(Math.Exp(2.0), follower.TaskPerplexity, 9);
        Assert.Equal(2.6, follower.BaseValLossPlugged);
        Assert.Equal(2.5, follower.BaseValLossUnplugged);
        Assert.Equal(123_456, follower.TrainableParameters);
        Assert.Equal(3.0, follower.PeakMemoryMiB);
        Assert.Equal(12.5, follower.StepTimeMs);
        Assert.Equal(75.0, follower.GapClosedPercent!.Value, 9);
        var alone = parsed.Rows[2];
        Assert.Null(alone.BaseValLossPlugged);
        Assert.Null(alone.PeakMemoryMiB);
        Assert.Null(alone.StepTimeMs);
    }

    [Fact]
    public void Cells_write_invariant_numbers_and_a_dash_where_a_number_does_not_apply()
    {
        Assert.Equal("2.0000", MethodComparisonView.Cell(2.0, "F4"));
        Assert.Equal("—", MethodComparisonView.Cell(null, "F4"));
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("[1, 2, 3]")]
    [InlineData("{\"device\": \"cpu\", \"methods\": [{\"method\": \"x\"}]}")]
    public void Invalid_json_or_missing_fields_give_a_message_naming_the_file_and_how_to_produce_one(string json)
    {
        var parsed = MethodComparisonView.Parse(json, "upload.json");

        Assert.NotNull(parsed.Error);
        Assert.Contains("upload.json is not a method-comparison report", parsed.Error);
        Assert.Contains("slmops-local experiment compare --out DIR", parsed.Error);
        Assert.Empty(parsed.Rows);
    }

    [Fact]
    public void A_method_without_its_required_numbers_is_named_as_such()
    {
        var parsed = MethodComparisonView.Parse("{\"device\": \"cpu\", \"methods\": [{\"method\": \"x\"}]}", "upload.json");

        Assert.Contains("a method is missing a required field", parsed.Error);
    }

    [Theory]
    [InlineData("{\"runs\": []}", "needs \"device\" and \"methods\"")]
    [InlineData("{\"device\": \"cpu\", \"methods\": []}", "lists no methods")]
    public void Json_of_another_shape_says_what_is_missing(string json, string expected)
    {
        var parsed = MethodComparisonView.Parse(json, "other.json");

        Assert.NotNull(parsed.Error);
        Assert.Contains(expected, parsed.Error);
        Assert.Null(parsed.Device);
    }
}

/// <summary>The section as the server prerenders it: before a file is picked, it says how to produce one.</summary>
public sealed class MethodComparisonSectionPageTests(SlmOps.Web.Tests.Apis.ApiTestHost host) : IClassFixture<SlmOps.Web.Tests.Apis.ApiTestHost>
{
    [Fact]
    public async Task Compare_page_offers_a_file_input_and_says_how_to_produce_comparison_json()
    {
        using var client = host.CreateClient();

        var html = System.Net.WebUtility.HtmlDecode(await client.GetStringAsync("/compare"));

        Assert.Contains("Method comparison", html);
        Assert.Contains("id=\"method-report-file\"", html);
        Assert.Contains("slmops-local experiment compare --out DIR", html);
        Assert.Contains("DIR/comparison.json", html);
    }
}
