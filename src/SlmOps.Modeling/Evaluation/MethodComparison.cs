using SlmOps.Modeling.Architectures;
using SlmOps.Modeling.Coupling;
using SlmOps.Modeling.Lora;
using SlmOps.Modeling.Models;
using SlmOps.Modeling.Peft;
using SlmOps.Modeling.Training;
using SlmOps.Torch;

namespace SlmOps.Modeling.Evaluation;

/// <summary>Everything the methods share, so the comparison is like for like.</summary>
public sealed record ComparisonSetup
{
    public required FrozenLlm Llm { get; init; }
    /// <summary>The SLM architecture used by "slm-alone" and the follower methods.</summary>
    public required ModelConfig SlmConfig { get; init; }
    public required int[] TaskTrain { get; init; }
    public required int[] TaskVal { get; init; }
    public required int[] BaseVal { get; init; }
    public required TrainingOptions Training { get; init; }
    public CouplingOptions Coupling { get; init; } = new();
    public int LoraRank { get; init; } = 8;
    /// <summary>"adapter": the bottleneck width m of every adapter.</summary>
    public int AdapterBottleneck { get; init; } = 8;
    /// <summary>"prefix": how many window positions the trainable prefix takes.</summary>
    public int PrefixLength { get; init; } = 4;
    public PluginPeftOptions Plugin { get; init; } = new();
    /// <summary>"plugin-peft": a small model of its own (e.g. pretrained separately); null: the LLM's first k blocks.</summary>
    public PluginSmallModel? PluginSmall { get; init; }
    public int EvalBatches { get; init; } = 8;
}

/// <summary>
/// Runs the baselines, the SLM methods and the PEFT methods on the same data with the same options and evaluates each
/// on the task and the base corpus at one shared block size. Methods: llm-alone, slm-alone, slm-tokens, slm-logits,
/// slm-hidden, lora, adapter, prefix, plugin-peft, full-finetune.
/// </summary>
public static class MethodComparison
{
    public static IReadOnlyList<string> AllMethods { get; } =
        ["llm-alone", "slm-alone", "slm-tokens", "slm-logits", "slm-hidden", "lora", "adapter", "prefix", "plugin-peft", "full-finetune"];

    /// <summary>Every method an LLM of this architecture can take (plug-in PEFT's bridge is fft only; <see cref="FisherBridge"/>).</summary>
    public static IReadOnlyList<string> DefaultMethods(ModelConfig llm) =>
        AllMethods.Where(m => m != "plugin-peft" || llm is FftConfig).ToList();

    /// <summary>What each method needs resident at serving time (the comparison's notes).</summary>
    public static string ServingNeeds(string method) => method switch
    {
        "llm-alone" => "the LLM",
        "slm-alone" => "the SLM alone",
        "slm-tokens" or "slm-logits" or "slm-hidden" => "the LLM plus the SLM",
        "lora" or "adapter" => "the LLM plus its modules (they act inside the LLM's forward)",
        "prefix" => "the LLM plus its prefix (read before every window's text, which gets the window less the prefix)",
        "plugin-peft" => "the LLM plus the modules and W_plug (the small model and the bridge are not needed after training)",
        "full-finetune" => "a full copy of the LLM per task",
        _ => throw new ArgumentException($"Unknown method '{method}'."),
    };

    /// <summary>The block every method is trained and evaluated at: the given one, or the longest all the chosen methods read.</summary>
    public static int SharedBlockSize(ModelConfig llm, ComparisonSetup setup, IEnumerable<string> methods)
    {
        var block = setup.Training.BlockSize ?? Math.Min(llm.BlockSize, setup.SlmConfig.BlockSize);
        return methods.Contains("prefix") && setup.Training.BlockSize is null ? Math.Min(block, llm.BlockSize - setup.PrefixLength) : block;
    }

    /// <summary>
    /// <paramref name="seeds"/> runs of <see cref="Run"/> with training seeds Seed, Seed+1, ...; each method's row holds the
    /// mean over seeds (gap closed: the mean of each seed's own gap closed) and every seed's task loss and gap closed.
    /// </summary>
    public static MethodComparisonReport RunSeeds(ComparisonSetup setup, int seeds, IEnumerable<string>? methods = null, Action<string, TrainingProgress>? progress = null)
    {
        ComparisonValidation.EnsureSeeds(seeds);
        var methodList = (methods ?? DefaultMethods(setup.Llm.Model.Config)).ToList();
        ComparisonValidation.Validate(setup, methodList);
        var reports = Enumerable.Range(0, seeds)
            .Select(s => Run(setup with { Training = setup.Training with { Seed = setup.Training.Seed + s } }, methodList,
                progress is null ? null : (m, p) => progress(seeds == 1 ? m : $"{m} (seed {s + 1}/{seeds})", p)))
            .ToList();
        return seeds == 1 ? reports[0] : new MethodComparisonReport(reports[0].Device, SeedAggregate.Combine(reports), seeds);
    }

    public static MethodComparisonReport Run(ComparisonSetup setup, IEnumerable<string>? methods = null, Action<string, TrainingProgress>? progress = null)
    {
        var methodList = (methods ?? DefaultMethods(setup.Llm.Model.Config)).ToList();
        ComparisonValidation.Validate(setup, methodList);
        var device = Device.Parse(setup.Training.Device);
        var block = SharedBlockSize(setup.Llm.Model.Config, setup, methodList);
        var options = setup.Training with { BlockSize = block };
        double Eval(ITrainingObjective o, int[] tokens) => Evaluator.MeanLoss(o, tokens, options.BatchSize, block, setup.EvalBatches, device);

        var llmAlone = new LanguageModelObjective(setup.Llm.Model);
        var baseUnplugged = Eval(llmAlone, setup.BaseVal);
        var meter = new PeakMemoryMeter(device);
        var results = new List<MethodResult>();
        foreach (var method in methodList)
        {
            // Same generator state for every method, so a method's numbers do not depend on which ran before it.
            torch.manual_seed(options.Seed);
            meter.Reset();
            var report = (TrainingProgress p) => progress?.Invoke(method, p);
            MethodResult Trained(ITrainingObjective objective, TrainingResult run) =>
                Measure(method, run, Eval(objective, setup.TaskVal), Eval(objective, setup.BaseVal), baseUnplugged, meter.Peak());
            MethodResult result;
            switch (method)
            {
                case "llm-alone":
                    result = new MethodResult { Method = method, TaskValLoss = Eval(llmAlone, setup.TaskVal), BaseValLossPlugged = baseUnplugged, BaseValLossUnplugged = baseUnplugged, TrainableParameters = 0 };
                    break;
                case "slm-alone":
                {
                    using var slm = ModelFactory.Create(setup.SlmConfig).to(device) as LanguageModel ?? throw new InvalidOperationException();
                    var objective = new LanguageModelObjective(slm);
                    result = Trained(objective, new Trainer(options).Run(objective, setup.TaskTrain, progress: report));
                    break;
                }
                case "slm-tokens" or "slm-logits" or "slm-hidden":
                {
                    var coupling = setup.Coupling with { Mode = Enum.Parse<CouplingMode>(method["slm-".Length..], ignoreCase: true) };
                    var slm = ModelFactory.Create(setup.SlmConfig);
                    SlmInitializer.Apply(slm, setup.Llm.Model, coupling);
                    using var follower = new SlmFollower(slm, coupling, setup.Llm.Model.Config.Width);
                    follower.to(device);
                    var objective = new CoupledObjective(setup.Llm, follower);
                    result = Trained(objective, new Trainer(options).Run(objective, setup.TaskTrain, progress: report));
                    if (coupling is { Mode: CouplingMode.Tokens, Argmax: false }) result = WithTokenEvaluations(result, follower, objective, setup.TaskVal, Eval);
                    break;
                }
                case "lora":
                {
                    using var adapters = LoraAdapterSet.Attach(setup.Llm.Model, setup.LoraRank, 2.0 * setup.LoraRank);
                    try
                    {
                        var objective = PeftObjective.Attached(setup.Llm, adapters);
                        result = Trained(objective, new Trainer(options).Run(objective, setup.TaskTrain, progress: report));
                    }
                    finally { adapters.DetachFrom(); }
                    break;
                }
                case "adapter":
                {
                    using var adapters = AdapterSet.Attach(setup.Llm.Model, setup.AdapterBottleneck);
                    try
                    {
                        var objective = PeftObjective.Attached(setup.Llm, adapters);
                        result = Trained(objective, new Trainer(options).Run(objective, setup.TaskTrain, progress: report));
                    }
                    finally { adapters.DetachFrom(); }
                    break;
                }
                case "prefix":
                {
                    using var prefix = PrefixSet.Create(setup.Llm.Model, setup.PrefixLength, setup.TaskTrain);
                    var objective = PeftObjective.Prefix(setup.Llm, prefix);
                    result = Trained(objective, new Trainer(options).Run(objective, setup.TaskTrain, progress: report));
                    break;
                }
                case "plugin-peft":
                {
                    long? trainingPeak = null;
                    var stagePeaks = new List<string>();
                    string? current = null;
                    void Stage(string next)
                    {
                        if (current is not null) Record(current);
                        current = next;
                        meter.Reset();
                    }
                    void Record(string name)
                    {
                        var peak = meter.Peak();
                        stagePeaks.Add($"{name} {(peak is { } b ? $"{b / (1024.0 * 1024.0):F1} MiB" : "n/a")}");
                        if (name != "bridge-prune" && peak is { } p) trainingPeak = Math.Max(trainingPeak ?? 0, p);
                    }
                    var run = PluginPeft.Train(setup.Llm, setup.TaskTrain, options, setup.Plugin, (_, p) => progress?.Invoke(method, p), Stage, small: setup.PluginSmall);
                    Record(current!);
                    using var modules = run.Modules;
                    try
                    {
                        var objective = PeftObjective.Attached(setup.Llm, modules);
                        result = Measure(method, run.BridgeStage, Eval(objective, setup.TaskVal), Eval(objective, setup.BaseVal), baseUnplugged, trainingPeak) with
                        {
                            TrainableParameters = modules.parameters().Sum(p => p.numel()),
                            Detail = $"modules: {(modules.Config.IsLora ? $"LoRA r={modules.Config.Rank} on every Linear" : $"adapters m={modules.Config.Bottleneck}")}; " +
                                $"small model = {(setup.PluginSmall is { } own ? $"its own ({own.Model.Model.Config.Architecture} E={own.Model.Model.Config.Width} L={own.Model.Model.BlockCount}, {own.Model.Model.parameter_count():N0} params)" : $"the LLM's first {setup.Plugin.SmallLayers} block(s)")}, " +
                                $"{run.SmallStage.StepsCompleted} steps; bridge E={run.BridgeWidth} (r={setup.Plugin.Ratio}, " +
                                $"{run.BridgeParameters:N0} params, keeps {run.ResidualFisherShareKept:P1} of the residual Fisher mass), {run.BridgeStage.StepsCompleted} steps; " +
                                $"peak per stage: {string.Join(", ", stagePeaks)} (the table's peak is the larger training stage; bridge-prune is the one Fisher pass on a copy of the LLM)",
                        };
                    }
                    finally { modules.DetachFrom(); }
                    break;
                }
                case "full-finetune":
                {
                    using var copy = ModelFactory.Create(setup.Llm.Model.Config);
                    copy.load_state_dict(setup.Llm.Model.state_dict());
                    copy.to(device);
                    var objective = new LanguageModelObjective(copy);
                    result = Trained(objective, new Trainer(options).Run(objective, setup.TaskTrain, progress: report));
                    break;
                }
                default:
                    throw new ArgumentException($"Unknown method '{method}'. Known: {string.Join(", ", AllMethods)}.");
            }
            results.Add(result);
            setup.Llm.VerifyUnchanged(); // no method may write to the shared LLM
        }
        var deviceName = device.Type == DeviceType.CUDA ? $"{device} ({torch.cuda.get_device_name(device.Index)})" : $"cpu ({torch.get_num_threads()} threads)";
        return new MethodComparisonReport(deviceName, WithGapClosed(results));
    }

    /// <summary>
    /// Share of the task-loss gap between "LLM alone" and "full fine-tune" that each method closes:
    /// (llm - method) / (llm - full); 1 = as good as full fine-tuning, 0 = no better than the LLM alone.
    /// </summary>
    public static IReadOnlyList<MethodResult> WithGapClosed(IReadOnlyList<MethodResult> results)
    {
        var llm = results.FirstOrDefault(r => r.Method == "llm-alone")?.TaskValLoss;
        var full = results.FirstOrDefault(r => r.Method == "full-finetune")?.TaskValLoss;
        if (llm is not { } l || full is not { } f || Math.Abs(l - f) < 1e-12) return results;
        return results.Select(r => r with { GapClosed = (l - r.TaskValLoss) / (l - f) }).ToList();
    }

    /// <summary>The same trained tokens pair read three ways: the LLM's argmax, one draw, and the K-draw mean (the row's loss).</summary>
    private static MethodResult WithTokenEvaluations(MethodResult result, SlmFollower follower, CoupledObjective objective, int[] taskVal, Func<ITrainingObjective, int[], double> eval)
    {
        var trained = follower.Options;
        try
        {
            follower.Options = trained with { Argmax = true };
            var argmax = eval(objective, taskVal);
            follower.Options = trained with { EvalDraws = 1 };
            var oneDraw = eval(objective, taskVal);
            return result with { TokensLossArgmax = argmax, TokensLossOneDraw = oneDraw, TokensEvalDraws = trained.EvalDraws };
        }
        finally { follower.Options = trained; }
    }

    private static MethodResult Measure(string method, TrainingResult run, double taskVal, double basePlugged, double baseUnplugged, long? peak) => new()
    {
        Method = method,
        TaskValLoss = taskVal,
        BaseValLossPlugged = basePlugged,
        BaseValLossUnplugged = baseUnplugged,
        TrainableParameters = run.TrainableParameters,
        PeakMemoryBytes = peak,
        StepTimeMs = run.MedianStepMs,
        TokensPerSecond = run.TokensPerSecond,
    };
}
