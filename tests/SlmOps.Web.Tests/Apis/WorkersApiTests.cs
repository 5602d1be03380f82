using System.Net;
using SlmOps.Web.Apis;

namespace SlmOps.Web.Tests.Apis;

public sealed class WorkersApiTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    [Fact]
    public async Task Lists_workers_seen_recently_with_their_current_run_and_all_of_them_on_request()
    {
        var runId = await host.ScalarAsync<Guid>("INSERT INTO runs (kind, name, created_by) VALUES ('TrainTaskModel', 'sonnets slm', 'test') RETURNING id");
        await host.ExecuteAsync(
            "INSERT INTO workers (name, device, slots, current_run_id, last_seen_at) VALUES ('gpu-box', 'cuda:0', 2, $1, now())", runId);
        await host.ExecuteAsync(
            "INSERT INTO workers (name, device, last_seen_at) VALUES ('stale-box', 'cpu', now() - interval '10 minutes')");
        using var client = host.CreateClient();

        var online = await ApiTestHost.ReadAsync<List<WorkerDto>>(await client.GetAsync("/api/v1/workers"));
        var all = await ApiTestHost.ReadAsync<List<WorkerDto>>(await client.GetAsync("/api/v1/workers?includeOffline=true"));

        var worker = Assert.Single(online);
        Assert.Equal(("gpu-box", "cuda:0", 2, runId, "sonnets slm", true),
            (worker.Name, worker.Device, worker.Slots, worker.CurrentRunId!.Value, worker.CurrentRunName, worker.Online));
        Assert.Equal(new[] { ("gpu-box", true), ("stale-box", false) }, all.Select(w => (w.Name, w.Online)));
    }
}
