using Microsoft.Extensions.DependencyInjection;
using SlmOps.Web.ComponentTests.Fakes;
using SlmOps.Web.Components.Pages.Overview;

namespace SlmOps.Web.ComponentTests.Pages;

/// <summary>The overview never says "No worker is online" beside a queue that has a consumer.</summary>
public sealed class OverviewWorkersTests : DashboardTestContext
{
    private readonly FakeOverviewData _data = new();

    public OverviewWorkersTests() => Services.AddSingleton<IOverviewData>(_data);

    [Fact]
    public void A_worker_that_reported_is_listed_beside_its_queue_consumer()
    {
        _data.Workers.Add(FakeOverviewData.Worker("box-1"));
        _data.Queues.Add(new QueueDepth("slmops-worker-cpu", "cpu", true, 0, 1));

        var page = Render<Overview>();

        Assert.Equal("1 worker consuming", page.Find(".slm-consumers").TextContent);
        Assert.Contains("box-1", page.Markup);
        Assert.DoesNotContain("No worker", page.Markup);
    }

    [Fact]
    public void A_consumer_without_a_report_is_not_called_no_worker_online()
    {
        _data.Queues.Add(new QueueDepth("slmops-worker-cpu", "cpu", true, 2, 1));

        var page = Render<Overview>();

        Assert.DoesNotContain("No worker is online", page.Markup);
        Assert.Contains("No worker has reported yet", page.Markup);
        Assert.Contains("The queues show 1 consumer(s)", page.Markup);
    }

    [Fact]
    public void No_consumer_and_no_report_is_no_worker_online()
    {
        _data.Queues.Add(new QueueDepth("slmops-worker-cpu", "cpu", true, 3, 0));

        var page = Render<Overview>();

        Assert.Equal("no worker consuming", page.Find(".slm-consumers").TextContent);
        Assert.Contains("No worker is online", page.Markup);
    }
}
