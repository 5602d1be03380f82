using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using SlmOps.Data.Migrations;
using SlmOps.Web.Auth;
using SlmOps.Web.Teams;
using SlmOps.Web.Tests.Apis;
using SlmOps.Web.Tests.Registry;

namespace SlmOps.Web.Tests.Teams;

/// <summary>
/// An installation from before teams (migrated up to 0008, with keys, a dataset, a task model with aliases, a run, an
/// audit entry and a webhook) upgraded by starting this release on it: migration 0010 puts everything in 'default', which
/// is the platform team, and every old key keeps doing what it did.
/// </summary>
public sealed class UpgradeToTeamsTests : IAsyncLifetime
{
    private readonly string _oldMigrations = Path.Combine(Path.GetTempPath(), $"slmops-pre-teams-{Guid.NewGuid():N}");
    private readonly Dictionary<string, string> _keys = [];
    private WebAppHost _web = null!;

    public async Task InitializeAsync()
    {
        var database = await TestDatabase.CreateAsync("upgrade");
        Directory.CreateDirectory(_oldMigrations);
        foreach (var file in MigrationFile.LoadAll(MigrationRunner.DefaultMigrationsDirectory).Where(f => f.Version < 10))
            File.Copy(Path.Combine(MigrationRunner.DefaultMigrationsDirectory, file.FileName), Path.Combine(_oldMigrations, file.FileName));
        await new MigrationRunner(database.ConnectionString, _oldMigrations, NullLogger.Instance).ApplyAsync(CancellationToken.None);
        await SeedPreTeamsInstallationAsync(database);
        _web = new WebAppHost("upgrade", database: database.Name);
        await _web.StartAsync(kestrel: false); // applies 0010
    }

    public async Task DisposeAsync()
    {
        await _web.DisposeAsync();
        Directory.Delete(_oldMigrations, recursive: true);
    }

    [Fact]
    public async Task Everything_lands_in_the_default_team_which_is_the_platform_team()
    {
        Assert.Equal("default:true", await _web.ScalarAsync<string>("SELECT string_agg(name || ':' || platform::text, ',') FROM teams"));
        foreach (var table in new[] { "api_keys", "datasets", "runs", "task_models", "audit_log", "webhooks.subscriptions" })
        {
            Assert.True(await _web.ScalarAsync<long>($"SELECT count(*) FROM {table}") > 0, $"{table} has no rows to check");
            Assert.Equal(0L, await _web.ScalarAsync<long>($"SELECT count(*) FROM {table} WHERE team <> 'default'"));
        }
    }

    [Fact]
    public async Task Every_old_key_keeps_working_as_before()
    {
        var viewer = _web.CreateClient(_keys["viewer"]);
        var datasets = await viewer.GetFromJsonAsync<JsonElement>("/api/v1/datasets");
        Assert.Equal(("legacy-data", "default"), (datasets[0].GetProperty("name").GetString(), datasets[0].GetProperty("team").GetString()));
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/v1/task-models/legacy-task/aliases/production")).StatusCode);
        Assert.Equal(1, (await viewer.GetFromJsonAsync<JsonElement>("/api/v1/runs")).GetProperty("total").GetInt32());

        var editor = _web.CreateClient(_keys["editor"]);
        using var form = new MultipartFormDataContent { { new StringContent("legacy-data"), "name" }, { new StringContent("one more line\n"), "file", "more.txt" } };
        var upload = await editor.PostAsync("/api/v1/datasets", form);
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        Assert.Equal(2, (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32());

        var promoter = _web.CreateClient(_keys["promoter"]);
        var promoted = await promoter.PutAsJsonAsync("/api/v1/task-models/legacy-task/aliases/production", new { version = 2 });
        Assert.Equal(HttpStatusCode.OK, promoted.StatusCode);

        var admin = _web.CreateClient(_keys["admin"]);
        var teams = await admin.GetFromJsonAsync<List<TeamDto>>("/api/v1/teams", ApiTestHost.Json);
        Assert.Equal(["default"], teams!.Select(t => t.Name));
        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit?entityKind=alias");
        Assert.Contains(audit.GetProperty("items").EnumerateArray(), e => e.GetProperty("reason").GetString() == "before teams");
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/webhooks")).StatusCode);
    }

    /// <summary>Rows as the release before teams wrote them: no team anywhere.</summary>
    private async Task SeedPreTeamsInstallationAsync(TestDatabase database)
    {
        foreach (var role in new[] { "viewer", "editor", "promoter", "admin" })
        {
            var (key, prefix) = ApiKeyFormat.Generate();
            await database.ExecuteAsync("INSERT INTO api_keys (name, prefix, key_hash, role, created_by) VALUES ($1, $2, $3, $4, 'bootstrap')",
                $"old-{role}", prefix, ApiKeyFormat.Hash(key), role);
            _keys[role] = key;
        }
        await database.ExecuteAsync("INSERT INTO artifacts (sha256, size_bytes, media_type, uri) VALUES ($1, 10, 'application/octet-stream', 'w'), ($2, 10, 'text/plain', 't')",
            RegistryTestHost.Weights, RegistryTestHost.Tokenizer);
        var dataset = await database.ScalarAsync<long>("INSERT INTO datasets (name, created_by) VALUES ('legacy-data', 'old-editor') RETURNING id");
        var version = await database.ScalarAsync<long>(
            "INSERT INTO dataset_versions (dataset_id, version, sha256, size_bytes, format, created_by) VALUES ($1, 1, $2, 10, 'text', 'old-editor') RETURNING id",
            dataset, RegistryTestHost.Tokenizer);
        var baseModel = await database.ScalarAsync<long>("INSERT INTO base_models (name, created_by) VALUES ('legacy-llm', 'old-editor') RETURNING id");
        var baseVersion = await database.ScalarAsync<long>("""
            INSERT INTO base_model_versions (base_model_id, version, architecture_kind, architecture, parameter_count, weights_sha256, tokenizer_sha256, created_by)
            VALUES ($1, 1, 'fft', '{}', 100, $2, $3, 'old-editor') RETURNING id
            """, baseModel, RegistryTestHost.Weights, RegistryTestHost.Tokenizer);
        var task = await database.ScalarAsync<long>("INSERT INTO task_models (name, created_by) VALUES ('legacy-task', 'old-editor') RETURNING id");
        long first = 0;
        foreach (var (number, loss) in new[] { (1, 1.5), (2, 1.25) })
        {
            var id = await database.ScalarAsync<long>("""
                INSERT INTO slm_versions (task_model_id, version, base_model_version_id, coupling_mode, architecture, parameter_count, dataset_version_id,
                                          evaluation_metrics, weights_sha256, created_by)
                VALUES ($1, $2, $3, 'tokens', '{}', 10, $4, $5::jsonb, $6, 'old-editor') RETURNING id
                """, task, number, baseVersion, version, RegistryTestHost.Evaluated(version, loss), RegistryTestHost.Weights);
            if (number == 1) first = id;
        }
        await database.ExecuteAsync("INSERT INTO aliases (task_model_id, name, slm_version_id, updated_by) VALUES ($1, 'production', $2, 'old-promoter')", task, first);
        await database.ExecuteAsync("""
            INSERT INTO audit_log (actor, action, entity_kind, entity_id, after, reason)
            VALUES ('old-promoter', 'alias.set', 'alias', 'legacy-task@production', '{"version": 1}', 'before teams')
            """);
        await database.ExecuteAsync("INSERT INTO runs (kind, name, created_by) VALUES ('Evaluate', 'legacy-run', 'old-editor')");
        await database.ExecuteAsync("INSERT INTO webhooks.subscriptions (url, secret, events, created_by) VALUES ('http://127.0.0.1:9/hook', 'a-secret-of-16-chars', ARRAY['alias.changed'], 'old-admin')");
    }
}
