using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SlmOps.Web.Apis;
using SlmOps.Web.Registry;
using SlmOps.Web.Tests.Apis;

namespace SlmOps.Web.Tests.Registry;

public sealed class AliasPromotionTests(RegistryTestHost host) : IClassFixture<RegistryTestHost>
{
    private readonly HttpClient _client = host.CreateClient();

    [Fact]
    public async Task Promote_gate_force_rollback_with_history_and_audit()
    {
        var task = await host.SeedTaskAsync("sentiment",
            RegistryTestHost.Evaluated(host.DatasetVersionA, 1.20),
            RegistryTestHost.Evaluated(host.DatasetVersionA, 1.35));
        var url = $"/api/v1/task-models/{task}/aliases/production";

        var first = await _client.PutAsJsonAsync(url, new { version = 1 });
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(1, (await ApiTestHost.ReadAsync<AliasDto>(first)).Version);

        var gate = await _client.GetFromJsonAsync<GateResultDto>($"{url}/gate?version=2", ApiTestHost.Json);
        Assert.False(gate!.Passes);
        Assert.Equal((1.35, 1.20, host.DatasetVersionA), (gate.Candidate.ValLoss, gate.Holder!.ValLoss, gate.ComparedOnDatasetVersionId));

        var blocked = await _client.PutAsJsonAsync(url, new { version = 2 });
        Assert.Equal(HttpStatusCode.Conflict, blocked.StatusCode);
        using (var problem = JsonDocument.Parse(await blocked.Content.ReadAsStringAsync()))
        {
            Assert.Equal("Promotion gate failed", problem.RootElement.GetProperty("title").GetString());
            Assert.Contains("force=true", problem.RootElement.GetProperty("detail").GetString());
            var details = problem.RootElement.GetProperty("gate");
            Assert.Equal(1.35, details.GetProperty("candidate").GetProperty("valLoss").GetDouble());
            Assert.Equal(1.20, details.GetProperty("holder").GetProperty("valLoss").GetDouble());
        }
        Assert.Equal((1, 1, 1), await host.AliasStateAsync(task, "production"));

        var noReason = await _client.PutAsJsonAsync(url, new { version = 2, force = true, reason = "  " });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains("reason", (await ApiTestHost.ReadAsync<Problem>(noReason)).Detail);

        var forced = await _client.PutAsJsonAsync(url, new { version = 2, force = true, reason = "hotfix for a tokenizer bug" });
        Assert.Equal(HttpStatusCode.OK, forced.StatusCode);
        Assert.Equal(2, (await ApiTestHost.ReadAsync<AliasDto>(forced)).Version);

        var rolledBack = await _client.PostAsJsonAsync($"{url}/rollback", new { reason = "v2 regressed" });
        Assert.Equal(HttpStatusCode.OK, rolledBack.StatusCode);
        Assert.Equal(1, (await ApiTestHost.ReadAsync<AliasDto>(rolledBack)).Version);
        var resolved = await _client.GetFromJsonAsync<AliasesApi.ResolvedAliasDto>(url, ApiTestHost.Json);
        Assert.Equal((1, 1), (resolved!.Alias.Version, resolved.Target.Version));

        // A second rollback undoes the first: it toggles back to version 2, with no body at all.
        var toggled = await _client.PostAsync($"{url}/rollback", null);
        Assert.Equal(2, (await ApiTestHost.ReadAsync<AliasDto>(toggled)).Version);

        var history = (await _client.GetFromJsonAsync<List<AliasHistoryDto>>($"{url}/history", ApiTestHost.Json))!;
        Assert.Equal(
            new[] { ("rollback", (int?)1, (int?)2, false), ("rollback", 2, 1, false), ("promote", 1, 2, true), ("create", null, 1, false) },
            history!.Select(h => (h.Action, h.FromVersion, h.ToVersion, h.Forced)));
        Assert.Equal("hotfix for a tokenizer bug", history[2].Reason);
        // The actor is the name of the key the client sent (the fixture's admin key).
        Assert.All(history, h => Assert.Equal(SlmOps.Web.Tests.Auth.TestKeys.AdminName, h.Actor));

        var audit = await _client.GetFromJsonAsync<AuditPageDto>($"/api/v1/audit?task={task}", ApiTestHost.Json);
        Assert.Equal(new[] { "alias.rollback", "alias.rollback", "alias.move", "alias.set" }, audit!.Items.Select(e => e.Action));
        var move = audit.Items[2];
        Assert.Equal(($"{task}@production", "hotfix for a tokenizer bug"), (move.EntityId, move.Reason));
        Assert.Equal(1, move.Before!.Value.GetProperty("version").GetInt32());
        Assert.True(move.After!.Value.GetProperty("forced").GetBoolean());
    }

    [Fact]
    public async Task A_better_version_passes_the_gate_and_other_aliases_are_not_gated()
    {
        var task = await host.SeedTaskAsync("better",
            RegistryTestHost.Evaluated(host.DatasetVersionA, 1.5),
            RegistryTestHost.Evaluated(host.DatasetVersionA, 1.5),
            "{}");

        (await _client.PutAsJsonAsync($"/api/v1/task-models/{task}/aliases/production", new { version = 1 })).EnsureSuccessStatusCode();
        var equal = await _client.PutAsJsonAsync($"/api/v1/task-models/{task}/aliases/production", new { version = 2 });
        var staging = await _client.PutAsJsonAsync($"/api/v1/task-models/{task}/aliases/staging", new { version = 3 });
        var again = await _client.PutAsJsonAsync($"/api/v1/task-models/{task}/aliases/staging", new { version = 3 });

        Assert.Equal(HttpStatusCode.OK, equal.StatusCode);
        Assert.Equal(HttpStatusCode.OK, staging.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        // Pointing an alias where it already points records nothing.
        Assert.Equal((3, 1, 1), await host.AliasStateAsync(task, "staging"));
        var gate = await _client.GetFromJsonAsync<GateResultDto>($"/api/v1/task-models/{task}/aliases/staging/gate?version=3", ApiTestHost.Json);
        Assert.Equal((false, true), (gate!.Gated, gate.Passes));
    }

    [Fact]
    public async Task Versions_never_evaluated_on_a_common_dataset_cannot_take_production()
    {
        var task = await host.SeedTaskAsync("apart",
            RegistryTestHost.Evaluated(host.DatasetVersionA, 2.0),
            RegistryTestHost.Evaluated(host.DatasetVersionB, 0.5));
        (await _client.PutAsJsonAsync($"/api/v1/task-models/{task}/aliases/production", new { version = 1 })).EnsureSuccessStatusCode();

        var response = await _client.PutAsJsonAsync($"/api/v1/task-models/{task}/aliases/production", new { version = 2 });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await ApiTestHost.ReadAsync<Problem>(response);
        Assert.Contains($"dataset version id {host.DatasetVersionA}", problem.Detail);
        Assert.Equal((1, 1, 1), await host.AliasStateAsync(task, "production"));
    }

    [Fact]
    public async Task Deleting_an_alias_keeps_its_history_and_later_reads_are_404()
    {
        var task = await host.SeedTaskAsync("deleting", "{}");
        (await _client.PutAsJsonAsync($"/api/v1/task-models/{task}/aliases/canary", new { version = 1 })).EnsureSuccessStatusCode();

        var deleted = await _client.DeleteAsync($"/api/v1/task-models/{task}/aliases/canary?reason=retired");
        var read = await _client.GetAsync($"/api/v1/task-models/{task}/aliases/canary");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.Contains("has no aliases yet", (await ApiTestHost.ReadAsync<Problem>(read)).Detail);
        var history = await _client.GetFromJsonAsync<List<AliasHistoryDto>>($"/api/v1/task-models/{task}/aliases/canary/history", ApiTestHost.Json);
        Assert.Equal(("delete", (int?)1, (int?)null, "retired"), (history![0].Action, history[0].FromVersion, history[0].ToVersion, history[0].Reason));
        Assert.Equal((null, 2, 2), await host.AliasStateAsync(task, "canary"));
    }

    [Fact]
    public async Task Concurrent_moves_of_one_alias_are_serialized()
    {
        var evaluated = Enumerable.Range(0, 6).Select(_ => RegistryTestHost.Evaluated(host.DatasetVersionA, 1.0)).ToArray();
        var task = await host.SeedTaskAsync("racing", evaluated);

        var responses = await Task.WhenAll(Enumerable.Range(1, 6).Select(v =>
            _client.PutAsJsonAsync($"/api/v1/task-models/{task}/aliases/production", new { version = v })));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var history = await _client.GetFromJsonAsync<List<AliasHistoryDto>>($"/api/v1/task-models/{task}/aliases/production/history", ApiTestHost.Json);
        var alias = await _client.GetFromJsonAsync<AliasesApi.ResolvedAliasDto>($"/api/v1/task-models/{task}/aliases/production", ApiTestHost.Json);
        // Each move starts where the previous one ended: the history is one unbroken chain ending at the alias.
        var chain = history!.AsEnumerable().Reverse().ToList();
        Assert.Equal(6, chain.Count);
        Assert.Null(chain[0].FromVersion);
        for (var i = 1; i < chain.Count; i++) Assert.Equal(chain[i - 1].ToVersion, chain[i].FromVersion);
        Assert.Equal(chain[^1].ToVersion, alias!.Alias.Version);
    }
}
