using Microsoft.Playwright;
using SlmOps.Data.Entities;

namespace SlmOps.E2ETests.Infrastructure;

/// <summary>
/// Class fixture for the teams views: the web app on a loopback port over a fresh migrated database with teams alpha
/// and beta, each owning a dataset and a task model (two versions, production on v1), beta's task shared with alpha;
/// an admin key, alpha's promoter key; Debian's headless Chromium. No worker: nothing here trains.
/// </summary>
public sealed class TeamsDashboardHost : IAsyncLifetime
{
    private readonly WebAppHost _web = new("e2eteams", new Dictionary<string, string> { ["Logging:LogLevel:Default"] = "Warning" });
    private IPlaywright? _playwright;

    public string Url => _web.Url + "/";
    public string AdminKey { get; private set; } = "";
    public string AlphaPromoterKey { get; private set; } = "";
    public IBrowser Browser { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        await _web.StartAsync(kestrel: true);
        AdminKey = await _web.CreateKeyAsync(ApiKeyRole.Admin, "e2e-admin");
        const string weights = "1111111111111111111111111111111111111111111111111111111111111111";
        await _web.ExecuteAsync("INSERT INTO teams (name, created_by) VALUES ('alpha', 'e2e'), ('beta', 'e2e')");
        await _web.ExecuteAsync("INSERT INTO artifacts (sha256, size_bytes, media_type, uri) VALUES ($1, 10, 'application/octet-stream', 'w')", weights);
        var baseModel = await _web.ScalarAsync<long>("INSERT INTO base_models (name, created_by) VALUES ('shared-llm', 'e2e') RETURNING id");
        var baseVersion = await _web.ScalarAsync<long>("""
            INSERT INTO base_model_versions (base_model_id, version, architecture_kind, architecture, parameter_count, weights_sha256, tokenizer_sha256, created_by)
            VALUES ($1, 1, 'fft', '{}', 100, $2, $2, 'e2e') RETURNING id
            """, baseModel, weights);
        foreach (var team in new[] { "alpha", "beta" })
        {
            var dataset = await _web.ScalarAsync<long>("INSERT INTO datasets (name, created_by, team) VALUES ($1, 'e2e', $2) RETURNING id", $"{team}-data", team);
            await _web.ExecuteAsync("INSERT INTO dataset_versions (dataset_id, version, sha256, size_bytes, format, created_by) VALUES ($1, 1, $2, 10, 'text', 'e2e')", dataset, weights);
            var task = await _web.ScalarAsync<long>("INSERT INTO task_models (name, created_by, team) VALUES ($1, 'e2e', $2) RETURNING id", $"{team}-task", team);
            long first = 0;
            foreach (var version in new[] { 1, 2 })
            {
                var id = await _web.ScalarAsync<long>("""
                    INSERT INTO slm_versions (task_model_id, version, base_model_version_id, coupling_mode, architecture, parameter_count, weights_sha256, created_by)
                    VALUES ($1, $2, $3, 'tokens', '{}', 10, $4, 'e2e') RETURNING id
                    """, task, version, baseVersion, weights);
                if (version == 1) first = id;
            }
            await _web.ExecuteAsync("INSERT INTO aliases (task_model_id, name, slm_version_id, updated_by) VALUES ($1, 'production', $2, 'e2e')", task, first);
        }
        await _web.ExecuteAsync("INSERT INTO task_model_shares (task_model_id, team, created_by) SELECT id, 'alpha', 'e2e' FROM task_models WHERE name = 'beta-task'");
        AlphaPromoterKey = await KeyInTeamAsync("alpha", ApiKeyRole.Promoter, "alpha-promoter");

        _playwright = await Playwright.CreateAsync();
        Browser = await Chromium.LaunchAsync(_playwright);
    }

    public Task<IPage> SignedInPageAsync(string key) => Chromium.SignedInPageAsync(Browser, Url, key);

    private async Task<string> KeyInTeamAsync(string team, ApiKeyRole role, string name)
    {
        var key = await _web.CreateKeyAsync(role, name);
        await _web.ExecuteAsync("UPDATE api_keys SET team = $1 WHERE name = $2", team, name);
        return key;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        await _web.DisposeAsync();
    }
}
