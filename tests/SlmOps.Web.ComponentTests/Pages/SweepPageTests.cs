using Microsoft.Extensions.DependencyInjection;
using SlmOps.Web.ComponentTests.Fakes;
using SlmOps.Web.Components.Pages.Sweeps;

namespace SlmOps.Web.ComponentTests.Pages;

/// <summary>The sweep page: a leaderboard sorted by any column, the trials' state, and the way to the best trial's SLM version.</summary>
public sealed class SweepPageTests : DashboardTestContext
{
    private readonly FakeSweepPageData _data = new();

    public SweepPageTests()
    {
        Services.AddSingleton<ISweepPageData>(_data);
        // Radzen measures a chart's element through JS before drawing it; the loose mode would answer null.
        JSInterop.Setup<Radzen.Blazor.Rendering.Rect>("Radzen.createChart", _ => true).SetResult(new Radzen.Blazor.Rendering.Rect { Width = 640, Height = 260 });
    }

    private Bunit.IRenderedComponent<SweepDetail> RenderSweep(out Contracts.Sweeps.SweepDto sweep)
    {
        sweep = FakeSweepPageData.FinishedSweep();
        _data.Stored[sweep.Id] = sweep;
        var id = sweep.Id;
        return Render<SweepDetail>(parameters => parameters.Add(p => p.Id, id));
    }

    private static IReadOnlyList<string> TrialOrder(Bunit.IRenderedComponent<SweepDetail> page) =>
        page.FindAll(".slm-leaderboard tbody tr").Select(row => row.GetAttribute("data-trial")!).ToList();

    [Fact]
    public void The_leaderboard_ranks_best_first_and_sorts_by_any_column()
    {
        var page = RenderSweep(out _);

        Assert.Equal(["1", "0", "2", "3"], TrialOrder(page)); // best first, the trial without a value last

        page.Find(".slm-sort[data-column='metric']").Click();
        Assert.Equal(["1", "0", "2", "3"], TrialOrder(page)); // already ascending by rank = by metric
        page.Find(".slm-sort[data-column='metric']").Click();
        Assert.Equal(["2", "0", "1", "3"], TrialOrder(page)); // descending; no value stays last

        page.Find(".slm-sort[data-column='training.learningRate']").Click();
        Assert.Equal(["2", "0", "1", "3"], TrialOrder(page)); // 1e-9, 0.001, 0.01, 0.1
        page.Find(".slm-sort[data-column='method']").Click();
        Assert.Equal(["0", "3", "1", "2"], TrialOrder(page)); // lora (0, 3), then slm (1, 2)
    }

    [Fact]
    public void Each_trial_shows_its_state_and_the_best_links_to_its_slm_version_in_the_registry()
    {
        var page = RenderSweep(out var sweep);

        var stopped = page.Find(".slm-leaderboard tr[data-trial='2']");
        Assert.Contains("step 10 (ASHA)", stopped.TextContent);
        Assert.Contains("Cancelled", stopped.TextContent);
        Assert.Contains("Dataset version 5 does not exist", page.Find(".slm-leaderboard tr[data-trial='3']").TextContent);
        var register = page.Find(".slm-register-best");
        Assert.Equal("registry/support", register.GetAttribute("href"));
        Assert.Contains("support v2", register.TextContent);
        Assert.Contains("#1:", page.Find(".slm-sweep-best").TextContent);
        Assert.Equal("4 / 4", page.Find(".slm-sweep-submitted").TextContent);
        Assert.Equal($"runs?sweep={sweep.Id}", page.Find(".slm-sweep-trials-link").GetAttribute("href"));
    }

    [Fact]
    public void An_unknown_sweep_says_so()
    {
        var id = Guid.NewGuid();

        var page = Render<SweepDetail>(parameters => parameters.Add(p => p.Id, id));

        Assert.Contains($"No sweep has id {id}", page.Markup);
    }

    [Fact]
    public void The_scatter_puts_each_trial_with_a_value_at_its_parameter()
    {
        var sweep = FakeSweepPageData.FinishedSweep();

        var numeric = SweepLeaderboard.Scatter(sweep, "training.learningRate");
        var categories = SweepLeaderboard.Scatter(sweep, "method");

        Assert.Equal([(0.01, 2.25), (0.001, 2.5), (1e-9, 4.75)], numeric.Select(p => (p.X, p.Value)));
        Assert.Equal([(0.0, "slm"), (1.0, "lora"), (0.0, "slm")], categories.Select(p => (p.X, p.Category)));
        Assert.True(SweepLeaderboard.IsNumeric(sweep, "training.learningRate"));
        Assert.False(SweepLeaderboard.IsNumeric(sweep, "method"));
    }
}
