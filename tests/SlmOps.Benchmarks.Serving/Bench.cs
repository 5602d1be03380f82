using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using SlmOps.Data.Entities;
using SlmOps.Modeling.Coupling;
using SlmOps.Torch;
using SlmOps.Data.Registry;
using SlmOps.Serving;
using SlmOps.Contracts.Serving;

namespace SlmOps.Benchmarks.Serving;

/// <summary>
/// What every section shares: paper-size checkpoints (an LLM, a same-shape "fine-tuned copy", 3*reps+1 SLM versions),
/// the serving objects of the web host (ResidentLlms, SlmCache, SlmServer, SlmPrefetcher) with the LLM resident and
/// SLM version 0 served once, as production is before an alias moves.
/// </summary>
internal sealed class Bench : IDisposable
{
    public const string Prompt = "the small model follows the large one, and the team swaps it whenever the task changes.";

    private readonly ResidentLlms _llms;
    private readonly PublishedModelFolders _directories;
    private readonly BaseModelVersion _llmVersion;

    private Bench(BenchOptions options, PaperCheckpoints checkpoints, string llmSha, string copySha, List<string> slmShas)
    {
        Options = options;
        Checkpoints = checkpoints;
        CopySha = copySha;
        SlmShas = slmShas;
        _llmVersion = Versions.Llm(1, llmSha);
        var servingOptions = new ServingOptions { CacheBytes = 2L * 1024 * 1024 * 1024, MaxTokens = 4096 };
        _directories = new PublishedModelFolders(options.WorkDir);
        _llms = new ResidentLlms(_directories, servingOptions, NullLogger<ResidentLlms>.Instance);
        Cache = new SlmCache(_directories, servingOptions, NullLogger<SlmCache>.Instance);
        Server = new SlmServer(_llms, Cache, servingOptions);
        Prefetcher = new SlmPrefetcher(_llms, Cache, NullLogger<SlmPrefetcher>.Instance);
        _resident = _llms.Use(_llmVersion);
        Resident = _resident.Llm;
    }

    /// <summary>Where direct model work runs: one long-lived thread, as serving runs each LLM on one.</summary>
    public InferenceThread Inference { get; } = new("bench-inference");

    private readonly LlmLease _resident;

    public BenchOptions Options { get; }
    public PaperCheckpoints Checkpoints { get; }
    public BaseModelVersion LlmVersion => _llmVersion;
    public string LlmSha => _llmVersion.WeightsSha256;
    public string CopySha { get; }
    public IReadOnlyList<string> SlmShas { get; }
    public SlmCache Cache { get; }
    public SlmServer Server { get; }
    public SlmPrefetcher Prefetcher { get; }
    public ResidentLlm Resident { get; }
    public int Threads => torch.get_num_threads();

    public static async Task<Bench> Create(BenchOptions options)
    {
        var models = Path.Combine(options.WorkDir, "models");
        Directory.CreateDirectory(models);
        var checkpoints = new PaperCheckpoints(models);
        var llmSha = checkpoints.SaveLlm(seed: 1);
        var copySha = checkpoints.SaveLlm(seed: 2); // stands in for a fully fine-tuned copy: same shape, other weights
        var slmShas = new List<string>();
        var (llmModel, _) = SlmOps.Modeling.Checkpoints.ModelCheckpoint.LoadLanguageModel(checkpoints.DirOf(llmSha));
        using (var frozen = new FrozenLlm(llmModel))
        {
            for (var i = 0; i <= 3 * options.Reps; i++) slmShas.Add(checkpoints.SaveFollower(frozen, seed: 100 + i));
        }
        Console.Error.WriteLine($"serving: llm {llmModel.Config.ParameterCount():N0} params, slm {SlmOps.Modeling.Architectures.ModelPresets.PaperSlm(PaperCheckpoints.Tokenizer.VocabSize).ParameterCount():N0} params, {slmShas.Count} SLM versions written");
        var bench = new Bench(options, checkpoints, llmSha, copySha, slmShas);
        await bench.Serve(0, 4, compare: true); // warm: LLM resident, SLM version 0 served
        return bench;
    }

    public SlmVersion SlmVersion(int index) => Versions.Slm(index, SlmShas[index], _llmVersion);

    public int[] Encode(string text) => Resident.Tokenizer.Encode(text);

    /// <summary>
    /// Another cache and server over the same resident LLM, holding <paramref name="cacheBytes"/> of SLMs (with the
    /// default pool): a full cache, where every miss evicts, as production is in steady state.
    /// </summary>
    public (SlmCache Cache, SlmServer Server) FullCache(long cacheBytes)
    {
        var options = new ServingOptions { CacheBytes = cacheBytes, MaxTokens = 4096 };
        var cache = new SlmCache(_directories, options, NullLogger<SlmCache>.Instance);
        return (cache, new SlmServer(_llms, cache, options));
    }

    public Task<GenerateResponse> Serve(int slm, int tokens, bool compare = false) => Serve(Server, slm, tokens, compare);

    public Task<GenerateResponse> Serve(SlmServer server, int slm, int tokens, bool compare = false) => server.ServeAsync(
        new ResolvedSlm("bench", "production", SlmVersion(slm)),
        new GenerateRequest { Task = "bench", Prompt = Prompt, MaxTokens = tokens, Temperature = 1.0, Seed = 7, Compare = compare },
        Stopwatch.GetTimestamp(), CancellationToken.None);

    public void Dispose()
    {
        Cache.Dispose();
        _resident.Dispose();
        Inference.Dispose();
        _llms.Dispose();
    }
}

/// <summary>Registry rows as the resolver would return them, built in memory.</summary>
internal static class Versions
{
    public static BaseModelVersion Llm(long id, string sha) => new()
    {
        Id = id, BaseModelId = 1, Version = (int)id, ArchitectureKind = ArchitectureKind.Fft, Architecture = "{}", ParameterCount = 1,
        WeightsSha256 = sha, TokenizerSha256 = sha, CreatedBy = "bench", BaseModel = new BaseModel { Id = 1, Name = "paper-llm", CreatedBy = "bench" },
    };

    public static SlmVersion Slm(int index, string sha, BaseModelVersion llm, string method = "slm") => new()
    {
        Id = index + 1, TaskModelId = 1, Version = index + 1, BaseModelVersionId = llm.Id, BaseModelVersion = llm,
        CouplingMode = SlmOps.Contracts.CouplingMode.Tokens, Architecture = $$"""{"method":"{{method}}"}""", ParameterCount = 1,
        WeightsSha256 = sha, CreatedBy = "bench",
    };
}

internal static class Stats
{
    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
