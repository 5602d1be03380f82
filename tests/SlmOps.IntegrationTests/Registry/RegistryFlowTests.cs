using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SlmOps.Data.Entities;
using SlmOps.Web.Registry;
using SlmOps.Contracts.Serving;
using SlmOps.Web.Webhooks;
using Xunit.Abstractions;

namespace SlmOps.IntegrationTests.Registry;

/// <summary>
/// Issue 6 item 6: promote, serve, promote again, roll back — on SLMs trained by a real worker, with the audit trail and
/// signed webhooks, all without restarting the web host.
/// </summary>
public sealed class RegistryFlowTests(RegistryFlowHost host, ITestOutputHelper output) : IClassFixture<RegistryFlowHost>
{
    private const string TaskName = RegistryFlowHost.TaskName;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Promoting_and_rolling_back_production_switches_what_is_served_and_is_audited_and_announced()
    {
        var trained = await host.TrainedAsync();
        using var client = host.CreateClient();
        await using var receiver = new WebhookReceiver();
        var hook = await PostAsync<CreatedWebhookDto>(client, "/api/v1/webhooks", new { url = receiver.Url, secret = "rf-webhook-secret-0123456789", events = new[] { "alias.changed" } });
        receiver.Secret = hook.Secret;

        // Explicit versions, same seed: what each version says, independent of aliases.
        var v1Text = (await GenerateAsync(client, version: 1)).Text;
        var v2Text = (await GenerateAsync(client, version: 2)).Text;
        Assert.NotEqual(v1Text, v2Text);

        await PutAliasAsync(client, new { version = 1, reason = "first release" });
        var served = await GenerateAsync(client);
        Assert.Equal((1, "production", v1Text), (served.Version, served.Alias, served.Text));

        // The gate compares both on the task dataset version that both were trained and evaluated on; follow its verdict.
        var gate = await client.GetFromJsonAsync<GateResultDto>($"/api/v1/task-models/{TaskName}/aliases/production/gate?version=2", PipelineHost.Json);
        Assert.Equal(trained.DatasetVersionId, gate!.ComparedOnDatasetVersionId);
        var forced = !gate.Passes;
        output.WriteLine($"v1: '{v1Text}'\nv2: '{v2Text}'\ngate for v2: passes={gate.Passes} ({gate.Reason})");
        string promoteReason;
        if (forced)
        {
            var refused = await client.PutAsJsonAsync($"/api/v1/task-models/{TaskName}/aliases/production", new { version = 2 }, PipelineHost.Json);
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Equal(1, (await GenerateAsync(client)).Version);
            promoteReason = "logits coupling wanted despite a higher val_loss";
            await PutAliasAsync(client, new { version = 2, force = true, reason = promoteReason });
        }
        else
        {
            promoteReason = "v2 evaluates no worse than v1";
            await PutAliasAsync(client, new { version = 2, reason = promoteReason });
        }

        served = await GenerateAsync(client);
        Assert.Equal((2, v2Text), (served.Version, served.Text));

        var rollback = await client.PostAsJsonAsync($"/api/v1/task-models/{TaskName}/aliases/production/rollback", new { reason = "v2 misbehaves" }, PipelineHost.Json);
        Assert.True(rollback.IsSuccessStatusCode, await rollback.Content.ReadAsStringAsync());
        served = await GenerateAsync(client);
        Assert.Equal((1, v1Text), (served.Version, served.Text));

        var audit = await client.GetFromJsonAsync<AuditPageDto>($"/api/v1/audit?task={TaskName}", PipelineHost.Json);
        var entries = audit!.Items.Reverse().Select(e => (e.Action, e.Actor, Version(e.Before), Version(e.After), e.Reason)).ToList();
        Assert.Equal(
        [
            ("alias.set", "it-admin", null, 1, "first release"),
            ("alias.move", "it-admin", 1, 2, promoteReason),
            ("alias.rollback", "it-admin", 2, 1, "v2 misbehaves"),
        ], entries);
        Assert.Equal(forced, audit.Items[1].After!.Value.TryGetProperty("forced", out var f) && f.GetBoolean());

        var deliveries = await DeliveriesAsync(receiver, count: 3);
        Assert.All(deliveries, d => Assert.True(d.SignatureValid, $"signature {d.Signature} does not match the body {d.Body}"));
        var announced = deliveries.Select(d => JsonDocument.Parse(d.Body).RootElement)
            .OrderBy(b => b.GetProperty("at").GetDateTimeOffset())
            .Select(b => (b.GetProperty("action").GetString(), b.GetProperty("task").GetString(), b.GetProperty("alias").GetString(),
                Number(b.GetProperty("from")), Number(b.GetProperty("to")), b.GetProperty("forced").GetBoolean()))
            .ToList();
        Assert.Equal(
        [
            ("alias.set", TaskName, "production", null, 1, false),
            ("alias.move", TaskName, "production", 1, 2, forced),
            ("alias.rollback", TaskName, "production", 2, 1, false),
        ], announced);
    }

    [Fact]
    public async Task A_viewer_can_read_and_generate_but_not_promote()
    {
        await host.TrainedAsync();
        using var admin = host.CreateClient();
        using var viewer = await host.CreateClientAsync(ApiKeyRole.Viewer, "rf-viewer");
        var aliasesBefore = await admin.GetStringAsync($"/api/v1/task-models/{TaskName}/aliases");
        var auditBefore = (await admin.GetFromJsonAsync<AuditPageDto>($"/api/v1/audit?task={TaskName}", PipelineHost.Json))!.Total;

        var refused = await viewer.PutAsJsonAsync($"/api/v1/task-models/{TaskName}/aliases/production", new { version = 2, force = true, reason = "viewer tries" }, PipelineHost.Json);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((403, "promoter", "viewer"),
            (problem.GetProperty("status").GetInt32(), problem.GetProperty("requiredRole").GetString(), problem.GetProperty("role").GetString()));
        Assert.Contains("rf-viewer", problem.GetProperty("detail").GetString());

        Assert.Equal(aliasesBefore, await admin.GetStringAsync($"/api/v1/task-models/{TaskName}/aliases"));
        Assert.Equal(auditBefore, (await admin.GetFromJsonAsync<AuditPageDto>($"/api/v1/audit?task={TaskName}", PipelineHost.Json))!.Total);

        Assert.Equal(2, (await viewer.GetFromJsonAsync<TaskModelDetailDto>($"/api/v1/task-models/{TaskName}", PipelineHost.Json))!.Versions.Count);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"/api/v1/audit?task={TaskName}")).StatusCode);
        var generated = await GenerateAsync(viewer, version: 2);
        Assert.Equal(2, generated.Version);
        Assert.True(generated.Tokens > 0);
    }

    /// <summary>
    /// Issue 11: a second web instance with an artifact folder of its own (it shares the database and the broker, not
    /// the disk) serves the same version, fetching the model files through the first instance's artifact service.
    /// </summary>
    [Fact]
    public async Task Two_serving_instances_with_separate_folders_both_serve_the_same_version()
    {
        await host.TrainedAsync();
        var secondFolder = Path.Combine(Path.GetTempPath(), $"slmops-it-second-{Guid.NewGuid():N}");
        try
        {
            // A serving host on another box: its own folder, model files from the web host's artifact service.
            await using var second = await host.StartServingInstanceAsync(new Dictionary<string, string>
            {
                ["Artifacts:Root"] = secondFolder,
                ["Serving:ArtifactsUrl"] = host.Url,
                ["Serving:ArtifactsKey"] = await host.CreateKeyAsync(ApiKeyRole.Viewer, "rf-second-instance"),
            });
            using var first = host.CreateClient();
            using var other = second.CreateClient(host.AdminKey);

            var here = await GenerateAsync(first, version: 1);
            var there = await GenerateAsync(other, version: 1);

            Assert.Equal((1, here.SlmVersionId), (there.Version, there.SlmVersionId));
            Assert.Equal(here.Text, there.Text); // same weights, same seed: the same text
            Assert.True(Directory.EnumerateFiles(Path.Combine(secondFolder, "serving-cache"), "model.safetensors", SearchOption.AllDirectories).Any(),
                "the second instance read no model files into its own folder");
            Assert.False(Directory.Exists(Path.Combine(secondFolder, "models")), "the second instance has a workers' folder");
        }
        finally
        {
            if (Directory.Exists(secondFolder)) Directory.Delete(secondFolder, recursive: true);
        }
    }

    private static async Task<GenerateResponse> GenerateAsync(HttpClient client, int? version = null)
    {
        var response = await client.PostAsJsonAsync("/api/v1/generate",
            new GenerateRequest { Task = TaskName, Version = version, Prompt = "the quick", MaxTokens = 24, Temperature = 0.8, Seed = 11 });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST /api/v1/generate answered {(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<GenerateResponse>(body)!;
    }

    private static async Task PutAliasAsync(HttpClient client, object body)
    {
        var response = await client.PutAsJsonAsync($"/api/v1/task-models/{TaskName}/aliases/production", body, PipelineHost.Json);
        Assert.True(response.IsSuccessStatusCode, $"PUT production answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task<T> PostAsync<T>(HttpClient client, string path, object body)
    {
        var response = await client.PostAsJsonAsync(path, body, PipelineHost.Json);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path} answered {(int)response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<T>(text, PipelineHost.Json)!;
    }

    private static async Task<List<WebhookReceiver.Received>> DeliveriesAsync(WebhookReceiver receiver, int count)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        while (receiver.Requests.Count < count && !deadline.IsCancellationRequested) await Task.Delay(200, CancellationToken.None);
        Assert.Equal(count, receiver.Requests.Count);
        return [.. receiver.Requests];
    }

    private static int? Version(JsonElement? snapshot) => snapshot is { ValueKind: JsonValueKind.Object } s ? s.GetProperty("version").GetInt32() : null;

    private static int? Number(JsonElement value) => value.ValueKind == JsonValueKind.Number ? value.GetInt32() : null;
}
