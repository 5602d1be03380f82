using SlmOps.Modeling.Architectures;
using SlmOps.Modeling.Coupling;
using SlmOps.Modeling.Lora;
using SlmOps.Modeling.Models;
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
    public int EvalBatches { get; init; } = 8;
}

/// <summary>
/// Runs the baselines and the SLM methods on the same data with the same options and evaluates each
/// on the task and the base corpus at one shared block size. Methods: llm-alone, slm-alone,
/// slm-tokens, slm-logits, slm-hidden, lora, full-finetune.
/// </summary>
public static class MethodComparison
{
    public static IReadOnlyList<string> AllMethods { get; } = ["llm-alone", "slm-alone", "slm-tokens", "slm-logits", "slm-hidden", "lora", "full-finetune"];

    public static MethodComparisonReport Run(ComparisonSetup setup, IEnumerable<string>? methods = null, Action<string, TrainingProgress>? progress = null)
    {
        var methodList = (methods ?? AllMethods).ToList();
        ComparisonValidation.Validate(setup, methodList);
        var device = Device.Parse(setup.Training.Device);
        var block = setup.Training.BlockSize ?? Math.Min(setup.Llm.BlockSize, setup.SlmConfig.BlockSize);
        var options = setup.Training with { BlockSize = block };
        double Eval(ITrainingObjective o, int[] tokens) => Evaluator.MeanLoss(o, tokens, options.BatchSize, block, setup.EvalBatches, device);

        var llmAlone = new LanguageModelObjective(setup.Llm.Model);
        var baseUnplugged = Eval(llmAlone, setup.BaseVal);
        var results = new List<MethodResult>();
        foreach (var method in methodList)
        {
            if (device.Type == DeviceType.CUDA) torch.cuda.reset_peak_memory_stats(device.Index);
            // Same generator state for every method, so a method's numbers do not depend on which ran before it.
            torch.manual_seed(options.Seed);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            ProcessMemory.ResetPeak();
            var residentAtStart = ProcessMemory.ResidentBytes();
            long? TrainingPeak() => device.Type == DeviceType.CUDA
                ? torch.cuda.max_memory_allocated(device.Index)
                : ProcessMemory.PeakResidentBytes() - residentAtStart;
            var report = (TrainingProgress p) => progress?.Invoke(method, p);
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
                    var run = new Trainer(options).Run(objective, setup.TaskTrain, progress: report);
                    var peak = TrainingPeak();
                    result = Measure(method, run, Eval(objective, setup.TaskVal), Eval(objective, setup.BaseVal), baseUnplugged, peak);
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
                    var run = new Trainer(options).Run(objective, setup.TaskTrain, progress: report);
                    var peak = TrainingPeak();
                    result = Measure(method, run, Eval(objective, setup.TaskVal), Eval(objective, setup.BaseVal), baseUnplugged, peak);
                    break;
                }
                case "lora":
                {
                    using var adapters = LoraAdapterSet.Attach(setup.Llm.Model, setup.LoraRank, 2.0 * setup.LoraRank);
                    try
                    {
                        var objective = new LoraObjective(setup.Llm, adapters);
                        var run = new Trainer(options).Run(objective, setup.TaskTrain, progress: report);
                    var peak = TrainingPeak();
                        result = Measure(method, run, Eval(objective, setup.TaskVal), Eval(objective, setup.BaseVal), baseUnplugged, peak);
                    }
                    finally { adapters.DetachFrom(); }
                    break;
                }
                case "full-finetune":
                {
                    using var copy = ModelFactory.Create(setup.Llm.Model.Config);
                    copy.load_state_dict(setup.Llm.Model.state_dict());
                    copy.to(device);
                    var objective = new LanguageModelObjective(copy);
                    var run = new Trainer(options).Run(objective, setup.TaskTrain, progress: report);
                    var peak = TrainingPeak();
                    result = Measure(method, run, Eval(objective, setup.TaskVal), Eval(objective, setup.BaseVal), baseUnplugged, peak);
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

    private static MethodResult Measure(string method, TrainingResult run, double taskVal, double basePlugged, double baseUnplugged, long? peak) => new()
    {
        Method = method,
        TaskValLoss = taskVal,
        BaseValLossPlugged = basePlugged,
        BaseValLossUnplugged = baseUnplugged,
        TrainableParameters = run.TrainableParameters,
        // CUDA: the caching allocator's peak. CPU: the resident-set high-water mark the training added (ProcessMemory).
        PeakMemoryBytes = peak,
        StepTimeMs = run.MedianStepMs,
    };
}
