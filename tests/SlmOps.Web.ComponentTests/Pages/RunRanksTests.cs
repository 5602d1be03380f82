using SlmOps.Web.Components.Pages.Runs;
using SlmOps.Web.Runs;

namespace SlmOps.Web.ComponentTests.Pages;

/// <summary>The run page's ranks of a data-parallel run: each rank's worker and state, and whether the gang has formed.</summary>
public sealed class RunRanksTests : DashboardTestContext
{
    private static readonly DateTimeOffset At = new(2026, 12, 3, 20, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_forming_gang_shows_each_rank_its_worker_and_how_many_have_joined()
    {
        var section = Render<RunRanks>(p => p.Add(r => r.Ranks, new List<RunRankDto>
        {
            new(0, "box-a", "cpu", "joined", false, At, At, At),
            new(1, null, null, "offered", false, null, null, null),
        }));

        var rows = section.FindAll("tbody tr").Select(r => r.QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToList()).ToList();
        Assert.Equal(["0", "box-a", "cpu", "joined"], rows[0][..4]);
        Assert.Equal(["1", "waiting for a worker", "", "offered"], rows[1][..4]);
        Assert.Contains("1 of 2 ranks joined", section.Markup);
    }

    [Fact]
    public void Ranks_on_one_worker_say_so()
    {
        var section = Render<RunRanks>(p => p.Add(r => r.Ranks, new List<RunRankDto>
        {
            new(0, "big-box", "cuda:0", "joined", true, At, At, At),
            new(1, "big-box", "cuda:1", "joined", true, At, At, At),
        }));

        Assert.Contains("2 ranks on one worker (big-box)", section.Markup);
        Assert.Equal(["cuda:0", "cuda:1"], section.FindAll("tbody tr td:nth-child(3)").Select(c => c.TextContent.Trim()));
    }
}
