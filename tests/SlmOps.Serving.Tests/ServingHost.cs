using SlmOps.Modeling.Checkpoints;
using SlmOps.Modeling.Coupling;
using SlmOps.Modeling.Generation;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using SlmOps.Data.Entities;

namespace SlmOps.Serving.Tests;

/// <summary>
/// Class fixture: the web host (in-process, on its own migrated database) and the serving host beside it on a loopback
/// port, connected as deploy/up.sh connects them, with tiny checkpoints registered as the worker would register them:
/// artifact rows, a base model version per LLM, task models, SLM versions and aliases. <see cref="CreateClient"/> talks to
/// the web host, which forwards generate calls to the serving host; <see cref="CreateServingClient"/> talks to it directly.
/// </summary>
public class ServingHost : IAsyncLifetime
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public WebAppHost Web { get; } = new("serving");
    public ServingAppHost Serving { get; private set; } = null!;
    public string AdminKey { get; private set; } = "";
    public string ArtifactsRoot => Web.ArtifactsRoot;

    /// <summary>An admin client of the web host.</summary>
    public HttpClient CreateClient() => Web.CreateClient(AdminKey);

    /// <summary>A client of the serving host with a fresh viewer key.</summary>
    public async Task<HttpClient> CreateViewerServingClientAsync() =>
        Serving.CreateClient(await Web.CreateKeyAsync(ApiKeyRole.Viewer, $"viewer-{Guid.NewGuid():N}"));

    /// <summary>An admin client of the serving host itself.</summary>
    public HttpClient CreateServingClient() => Serving.CreateClient(AdminKey);

    /// <summary>Another serving instance of the same deployment, as a second replica behind a load balancer; the caller disposes it.</summary>
    public async Task<ServingAppHost> StartReplicaAsync()
    {
        var replica = new ServingAppHost(Web, ServingSettings);
        await replica.StartAsync();
        return replica;
    }

    public Task<T?> ScalarAsync<T>(string sql, params object[] values) => Web.ScalarAsync<T>(sql, values);

    public Task ExecuteAsync(string sql, params object[] values) => Web.ExecuteAsync(sql, values);

    public static async Task<T> ReadAsync<T>(HttpResponseMessage response) => (await response.Content.ReadFromJsonAsync<T>(Json))!;

    public string ModelsRoot => Path.Combine(ArtifactsRoot, "models");

    /// <summary>Serving:CacheBytes for this host.</summary>
    protected virtual long CacheBytes => 256L * 1024 * 1024;

    /// <summary>Serving:LlmBytes for this host.</summary>
    protected virtual long LlmBytes => 1L << 30;

    public const int MaxTokens = 40;

    /// <summary>Further Serving:* settings for this host.</summary>
    protected virtual IReadOnlyDictionary<string, string> ExtraServingSettings => new Dictionary<string, string>();

    protected IReadOnlyDictionary<string, string> ServingSettings => new Dictionary<string, string>(ExtraServingSettings)
    {
        ["Serving:CacheBytes"] = CacheBytes.ToString(),
        ["Serving:LlmBytes"] = LlmBytes.ToString(),
        ["Serving:MaxTokens"] = MaxTokens.ToString(),
    };

    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, string> _followerShas = new();

    public string LlmSha { get; private set; } = "";
    public long LlmVersionId { get; private set; }

    public async Task InitializeAsync()
    {
        await Web.StartAsync(kestrel: false); // starting the web host runs the migrations
        AdminKey = await Web.CreateKeyAsync(ApiKeyRole.Admin, "test-admin");
        Serving = new ServingAppHost(Web, ServingSettings);
        await Serving.StartAsync();
        await Serving.ConnectAsync();
        Directory.CreateDirectory(ModelsRoot);
        LlmSha = TinyCheckpoints.SaveLlm(ModelsRoot, seed: 11);
        LlmVersionId = await RegisterLlmAsync("tiny-llm", LlmSha);
    }

    public async Task DisposeAsync()
    {
        await Serving.DisposeAsync();
        await Web.DisposeAsync();
    }

    public string LlmDir => Path.Combine(ModelsRoot, LlmSha);

    public async Task<long> RegisterLlmAsync(string name, string weightsSha, string architecture = "fft")
    {
        await ArtifactAsync(weightsSha);
        var tokenizerSha = Sha256Manifest.HashFile(Path.Combine(ModelsRoot, weightsSha, ModelCheckpoint.TokenizerFile));
        await ArtifactAsync(tokenizerSha);
        var baseModel = await ScalarAsync<long>(
            "INSERT INTO base_models (name, created_by) VALUES ($1, 'test') ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id", name);
        return await ScalarAsync<long>(
            """
            INSERT INTO base_model_versions (base_model_id, version, architecture_kind, architecture, parameter_count, weights_sha256, tokenizer_sha256, created_by)
            VALUES ($1, (SELECT coalesce(max(version), 0) + 1 FROM base_model_versions WHERE base_model_id = $1), $5, jsonb_build_object('architecture', $5::text), $4, $2, $3, 'test')
            RETURNING id
            """, baseModel, weightsSha, tokenizerSha, TinyCheckpoints.LlmParameters(architecture), architecture);
    }

    /// <summary>Registers a new version of <paramref name="task"/> (created when missing) following <paramref name="llmVersionId"/>.</summary>
    public async Task<(long Id, int Version)> RegisterSlmAsync(string task, long llmVersionId, string weightsSha, string method = "slm")
    {
        await ArtifactAsync(weightsSha);
        var taskId = await ScalarAsync<long>(
            "INSERT INTO task_models (name, created_by) VALUES ($1, 'test') ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id", task);
        var version = await ScalarAsync<int>("SELECT coalesce(max(version), 0) + 1 FROM slm_versions WHERE task_model_id = $1", taskId);
        var id = await ScalarAsync<long>(
            """
            INSERT INTO slm_versions (task_model_id, version, base_model_version_id, coupling_mode, architecture, parameter_count, weights_sha256, created_by)
            VALUES ($1, $2, $3, 'tokens', jsonb_build_object('method', $4::text), 1, $5, 'test') RETURNING id
            """, taskId, version, llmVersionId, method, weightsSha);
        return (id, version);
    }

    /// <summary>Points <paramref name="alias"/> of <paramref name="task"/> at the SLM version with id <paramref name="slmVersionId"/>.</summary>
    public Task SetAliasAsync(string task, string alias, long slmVersionId) => ExecuteAsync(
        """
        INSERT INTO aliases (task_model_id, name, slm_version_id, updated_by)
        VALUES ((SELECT id FROM task_models WHERE name = $1), $2, $3, 'test')
        ON CONFLICT (task_model_id, name) DO UPDATE SET slm_version_id = EXCLUDED.slm_version_id, updated_at = now()
        """, task, alias, slmVersionId);

    /// <summary>A new follower of this host's LLM, registered as the next version of <paramref name="task"/>.</summary>
    public async Task<(long Id, int Version)> AddFollowerAsync(string task, int seed)
    {
        var sha = TinyCheckpoints.SaveFollower(ModelsRoot, LlmDir, seed);
        var registered = await RegisterSlmAsync(task, LlmVersionId, sha);
        _followerShas[registered.Id] = sha;
        return registered;
    }

    /// <summary>What this host's LLM composed with SLM version <paramref name="slmVersionId"/> generates, computed here without serving.</summary>
    public string ExpectedText(long slmVersionId, string prompt, GenerationOptions options)
    {
        var (model, _) = ModelCheckpoint.LoadLanguageModel(LlmDir);
        using var llm = new FrozenLlm(model);
        using var follower = ModelCheckpoint.LoadFollower(Path.Combine(ModelsRoot, _followerShas[slmVersionId]), llm, TinyCheckpoints.Tokenizer.Hash);
        var ids = TextGenerator.Generate(llm, follower, TinyCheckpoints.Tokenizer.Encode(prompt), options);
        return TinyCheckpoints.Tokenizer.Decode(ids);
    }

    /// <summary>What this host's LLM alone generates, computed here without serving.</summary>
    public string ExpectedLlmAloneText(string prompt, GenerationOptions options)
    {
        var (model, _) = ModelCheckpoint.LoadLanguageModel(LlmDir);
        using (model)
            return TinyCheckpoints.Tokenizer.Decode(TextGenerator.Generate(model, TinyCheckpoints.Tokenizer.Encode(prompt), options));
    }

    private Task ArtifactAsync(string sha) => ExecuteAsync(
        "INSERT INTO artifacts (sha256, size_bytes, media_type, uri) VALUES ($1, 0, 'application/octet-stream', $1) ON CONFLICT DO NOTHING", sha);
}
