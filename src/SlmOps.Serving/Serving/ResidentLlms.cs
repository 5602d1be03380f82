using SlmOps.Data.Entities;
using SlmOps.Modeling.Checkpoints;
using SlmOps.Modeling.Coupling;
using SlmOps.Modeling.Generation;
using SlmOps.Modeling.Models;
using SlmOps.Modeling.Peft;

namespace SlmOps.Serving;

/// <summary>
/// The LLMs kept in memory, one per base model version, each loaded once (concurrent first requests share one load)
/// after its weights file is checked against the registered sha256. Their parameters are bounded by
/// <see cref="ServingOptions.LlmBytes"/>: before a load that would not fit, the least recently used LLMs that no request
/// is using are unloaded; if every resident LLM is in use the request is refused as busy (429, retry) rather than
/// letting any caller grow memory without bound. An LLM larger than the whole budget is still served, alone.
/// </summary>
public sealed class ResidentLlms(IModelFolders directories, ServingOptions options, ILogger<ResidentLlms> logger) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<LlmKey, Lazy<ResidentLlm>> _loaded = [];

    public IReadOnlyList<ResidentLlm> Loaded
    {
        get { lock (_gate) return _loaded.Values.Where(l => l.IsValueCreated).Select(l => l.Value).OrderBy(l => l.BaseModelVersionId).ThenBy(l => l.ModuleVersionId).ToList(); }
    }

    /// <summary>LLMs unloaded to stay within the budget since start.</summary>
    public long Evictions { get; private set; }

    /// <summary>The base model version's LLM if it is already loaded; never starts a load (the prefetcher's question).</summary>
    public bool TryGetResident(long baseModelVersionId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ResidentLlm? llm) =>
        TryGetResident(new LlmKey(baseModelVersionId, null), out llm);

    /// <summary>Whether the LLM (with <paramref name="attached"/>'s modules) is already loaded; never starts a load.</summary>
    public bool TryGetResident(BaseModelVersion version, AttachedVersion? attached, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ResidentLlm? llm) =>
        TryGetResident(new LlmKey(version.Id, attached?.SlmVersionId), out llm);

    private bool TryGetResident(LlmKey key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ResidentLlm? llm)
    {
        lock (_gate) llm = _loaded.TryGetValue(key, out var lazy) && lazy.IsValueCreated ? lazy.Value : null;
        return llm is not null;
    }

    /// <summary>
    /// The LLM of <paramref name="version"/> (with <paramref name="attached"/>'s modules on an instance of its own), loaded if
    /// needed, held until the lease is disposed (never unloaded while held).
    /// </summary>
    public LlmLease Use(BaseModelVersion version, AttachedVersion? attached = null)
    {
        Lazy<ResidentLlm> lazy;
        var key = new LlmKey(version.Id, attached?.SlmVersionId);
        lock (_gate)
        {
            if (!_loaded.TryGetValue(key, out lazy!))
            {
                MakeRoom(version);
                lazy = new Lazy<ResidentLlm>(() => Load(version, attached));
                _loaded[key] = lazy;
            }
        }
        try
        {
            var llm = lazy.Value;
            return llm.Use();
        }
        catch
        {
            // A failed load is not cached: the next request tries again (e.g. after the file was restored).
            lock (_gate)
            {
                if (_loaded.TryGetValue(key, out var current) && current == lazy) _loaded.Remove(key);
            }
            throw;
        }
    }

    /// <summary>Unloads idle LLMs, least recently used first, until <paramref name="incoming"/> fits (or nothing idle is left).</summary>
    private void MakeRoom(BaseModelVersion incoming)
    {
        var needed = Math.Max(0, incoming.ParameterCount) * sizeof(float);
        var resident = _loaded.Values.Where(l => l.IsValueCreated).Select(l => l.Value).ToList();
        var bytes = resident.Sum(l => l.Bytes);
        foreach (var victim in resident.Where(l => l.InUse == 0).OrderBy(l => l.LastUsedAt).ToList())
        {
            if (bytes + needed <= options.LlmBytes) return;
            _loaded.Remove(victim.Key);
            bytes -= victim.Bytes;
            Evictions++;
            victim.Dispose();
            logger.LogInformation("Unloaded base model version {Id} ({Bytes:N0} bytes) to stay within Serving:LlmBytes {Limit:N0}",
                victim.BaseModelVersionId, victim.Bytes, options.LlmBytes);
        }
        if (bytes + needed > options.LlmBytes && resident.Any(l => _loaded.ContainsKey(l.Key)))
        {
            throw new ServingBusyException(
                $"Loading base model version {incoming.Id} ({needed:N0} bytes) would exceed Serving:LlmBytes ({options.LlmBytes:N0}); " +
                $"the {_loaded.Count} resident LLMs ({bytes:N0} bytes) are all generating. Retry in a few seconds.", RetryAfterSeconds: 5);
        }
    }

    /// <summary>Reads, hash-checks and freezes a base model version.</summary>
    /// <param name="attach">Attaches a PEFT version's modules to the loaded LLM (<paramref name="moduleVersionId"/> names it).</param>
    public static ResidentLlm Load(BaseModelVersion version, string dir, ServingOptions options, CheckpointLoadTimings? timings = null,
        Func<LanguageModel, IAttachedModules>? attach = null, long? moduleVersionId = null)
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
        IAttachedModules? modules;
        try { modules = attach?.Invoke(llm.Model); }
        catch { llm.Dispose(); throw; }
        return new ResidentLlm(version.Id, version.WeightsSha256, llm, tokenizer, ModelMemory.Bytes(model), options, modules, moduleVersionId);
    }

    private ResidentLlm Load(BaseModelVersion version, AttachedVersion? attached)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        using var folder = directories.Open(version.WeightsSha256);
        var resident = Load(version, folder.Path, options, attach: attached is null ? null : model => Attach(attached, model), moduleVersionId: attached?.SlmVersionId);
        logger.LogInformation("Loaded base model version {Id}{Modules} ({Bytes:N0} bytes) in {Ms:F0} ms", version.Id,
            attached is null ? "" : $" with the {attached.Method} modules of SLM version {attached.SlmVersionId}", resident.Bytes,
            System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return resident;
    }

    /// <summary>A PEFT version's modules, after checking its weights file against the registered sha256.</summary>
    private IAttachedModules Attach(AttachedVersion attached, LanguageModel model)
    {
        using var folder = directories.Open(attached.WeightsSha256);
        var weights = Path.Combine(folder.Path, PeftFiles.WeightsFile);
        var actual = File.Exists(weights) ? Sha256Manifest.HashFile(weights) : "(missing)";
        if (actual != attached.WeightsSha256)
            throw new ModelIntegrityException($"SLM version {attached.SlmVersionId}", weights, attached.WeightsSha256, actual);
        return AttachedModules.Load(attached.Method, folder.Path, model);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var lazy in _loaded.Values.Where(l => l.IsValueCreated)) lazy.Value.Dispose();
            _loaded.Clear();
        }
    }
}
