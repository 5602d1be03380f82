using System.Collections.Concurrent;
using SlmOps.Data.Entities;
using SlmOps.Modeling.Checkpoints;
using SlmOps.Modeling.Coupling;
using SlmOps.Modeling.Generation;

namespace SlmOps.Serving;

/// <summary>
/// The LLMs kept in memory, one per base model version, each loaded once (concurrent first requests share one
/// load) after its weights file is checked against the registered sha256. They stay resident for the process.
/// </summary>
public sealed class ResidentLlms(IModelFolders directories, ServingOptions options, ILogger<ResidentLlms> logger) : IDisposable
{
    private readonly ConcurrentDictionary<long, Lazy<ResidentLlm>> _loaded = new();

    public IReadOnlyList<ResidentLlm> Loaded =>
        _loaded.Values.Where(l => l.IsValueCreated).Select(l => l.Value).OrderBy(l => l.BaseModelVersionId).ToList();

    /// <summary>The base model version's LLM if it is already loaded; never starts a load.</summary>
    public bool TryGetResident(long baseModelVersionId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ResidentLlm? llm)
    {
        llm = _loaded.TryGetValue(baseModelVersionId, out var lazy) && lazy.IsValueCreated ? lazy.Value : null;
        return llm is not null;
    }

    public ResidentLlm Get(BaseModelVersion version)
    {
        var lazy = _loaded.GetOrAdd(version.Id, _ => new Lazy<ResidentLlm>(() => Load(version)));
        try
        {
            return lazy.Value;
        }
        catch
        {
            // A failed load is not cached: the next request tries again (e.g. after the file was restored).
            _loaded.TryRemove(new KeyValuePair<long, Lazy<ResidentLlm>>(version.Id, lazy));
            throw;
        }
    }

    /// <summary>Reads, hash-checks and freezes a base model version.</summary>
    public static ResidentLlm Load(BaseModelVersion version, string dir, ServingOptions options, CheckpointLoadTimings? timings = null)
    {
        var weights = Path.Combine(dir, ModelCheckpoint.WeightsFile);
        if (!File.Exists(weights))
            throw new FileNotFoundException($"Base model version {version.Id} has no weights at '{weights}'; its files were never uploaded to the artifact service.", weights);
        // The registered sha256 is checked on the same single read that the weights are loaded from.
        var (model, config) = ModelCheckpoint.LoadLanguageModel(dir, version.WeightsSha256, timings,
            (path, actual) => new ModelIntegrityException($"Base model version {version.Id}", path, version.WeightsSha256, actual));
        var tokenizer = ModelCheckpoint.ReadTokenizer(dir);
        if (tokenizer.Hash != config.TokenizerHash)
        {
            model.Dispose();
            throw new InvalidDataException($"'{dir}' has tokenizer {tokenizer.Hash} but its config names {config.TokenizerHash}.");
        }
        var llm = new FrozenLlm(model);
        return new ResidentLlm(version.Id, version.WeightsSha256, llm, tokenizer, ModelMemory.Bytes(model), options);
    }

    private ResidentLlm Load(BaseModelVersion version)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        using var folder = directories.Open(version.WeightsSha256);
        var resident = Load(version, folder.Path, options);
        logger.LogInformation("Loaded base model version {Id} ({Bytes:N0} bytes) in {Ms:F0} ms", version.Id, resident.Bytes,
            System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return resident;
    }

    public void Dispose()
    {
        foreach (var lazy in _loaded.Values.Where(l => l.IsValueCreated)) lazy.Value.Dispose();
        _loaded.Clear();
    }
}
