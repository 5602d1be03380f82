using System.Diagnostics;
using SlmOps.Modeling.Data;
using SlmOps.Torch;
using SlmOps.Torch.Distributed;

namespace SlmOps.Modeling.Training;

/// <summary>
/// The training loop shared by every method: AdamW (weight decay on matrices only), warmup+cosine,
/// global-norm clipping, bf16 autocast on CUDA, periodic evaluation and checkpoints, progress after
/// every step, and cancellation honoured between steps. Run it on a dedicated thread: dispose scopes
/// and grad mode are per thread. The objective's modules must already be on <see cref="TrainingOptions.Device"/>.
/// </summary>
public sealed class Trainer(TrainingOptions options)
{
    public TrainingOptions Options { get; } = options;

    /// <summary>
    /// Called on the training thread with the step of each mid-run checkpoint, right after it is complete on disk
    /// (e.g. so a worker can copy it off the machine before the next one replaces it).
    /// </summary>
    public Action<long>? CheckpointSaved { get; init; }

    /// <summary>
    /// Set on every rank of a data-parallel run (see <see cref="Training.DataParallel"/>): each rank passes the same
    /// options and data and reads its shard; <see cref="TrainingOptions.BatchSize"/> is per rank. Only rank 0
    /// evaluates, reports progress, writes checkpoints and calls <see cref="CheckpointSaved"/>; every rank resumes from
    /// the same checkpoint root (rank 0's), which must have been written with the same world size.
    /// </summary>
    public DataParallel? Parallel { get; init; }

    /// <param name="checkpointRoot">Where checkpoints go; when it already holds one, the run resumes from it.</param>
    public TrainingResult Run(ITrainingObjective objective, int[] trainTokens, int[]? valTokens = null, string? checkpointRoot = null,
        Action<TrainingProgress>? progress = null, CancellationToken cancellation = default)
    {
        var device = Device.Parse(Options.Device);
        var blockSize = Options.BlockSize ?? objective.BlockSize;
        if (blockSize > objective.BlockSize)
            throw new ArgumentException($"Block size {blockSize} exceeds what the objective reads ({objective.BlockSize}).");
        var trainable = objective.Trainable.parameters().Where(p => p.requires_grad).ToList();
        var optimizers = new ParameterGroups(trainable, Options);
        var parallel = Parallel;
        var isRoot = parallel?.IsRoot ?? true;
        var worldSize = parallel?.WorldSize ?? 1;
        try
        {
            var sampler = new BatchSampler(trainTokens, Options.BatchSize, blockSize, (ulong)Options.Seed, parallel?.Shard);
            var losses = new List<double>();
            var valLosses = new List<ValPoint>();
            long start = 0;
            if (checkpointRoot is not null && TrainingCheckpoint.Exists(checkpointRoot))
            {
                var (optState, state) = TrainingCheckpoint.Load(checkpointRoot, objective.Trainable, device);
                if (state.WorldSize != worldSize)
                {
                    foreach (var t in optState.Values) t.Dispose();
                    throw new InvalidOperationException(
                        $"The checkpoint at step {state.Step} was written by a run of world size {state.WorldSize}; this run has world size " +
                        $"{worldSize}. Resharding a resumed run is not supported: resume with world size {state.WorldSize}, or start a new run.");
                }
                try { optimizers.LoadState(optState); }
                finally { foreach (var t in optState.Values) t.Dispose(); }
                sampler.Restore(state.Sampler);
                losses.AddRange(state.Losses);
                valLosses.AddRange(state.ValLosses);
                start = state.Step;
            }
            else
            {
                torch.manual_seed(Options.Seed);
                if (device.Type == DeviceType.CUDA) torch.cuda.manual_seed_all(Options.Seed);
            }

            parallel?.BroadcastFromRoot(objective.Trainable.parameters());
            // Its hooks watch backward (all-reduce overlapped with it) until disposed.
            using var buckets = parallel is null ? null : new GradientBuckets(trainable, parallel.Group, parallel.BucketBytes);
            if (parallel is not null) parallel.ReducedElementsPerStep = buckets!.Elements;

            objective.Trainable.train();
            var stepMs = new List<double>();
            var tokensPerStep = (double)Options.BatchSize * blockSize * worldSize;
            var cancelled = false;
            var agreedStop = false;
            var step = start;
            for (; step < Options.Steps; step++)
            {
                if (parallel is null ? cancellation.IsCancellationRequested : agreedStop) { cancelled = true; break; }
                var clock = Stopwatch.StartNew();
                var lr = Options.Schedule.At(step);
                optimizers.SetLearningRate(lr);
                double lossValue;
                using (torch.NewDisposeScope())
                {
                    var (x, y) = ToTensors(sampler.Next(), device);
                    Tensor loss;
                    using (device.Type == DeviceType.CUDA && Options.Bf16Autocast ? torch.autocast(device) : null)
                        loss = objective.Loss(x, y);
                    optimizers.ZeroGrad();
                    loss.backward();
                    buckets?.AverageGradients();
                    if (Options.GradClip > 0) torch.nn.utils.clip_grad_norm_(trainable, Options.GradClip);
                    optimizers.Step();
                    objective.AfterOptimizerStep();
                    lossValue = loss.item<float>(); // also waits for the GPU, so the step time is real
                }
                if (parallel is not null)
                    (lossValue, agreedStop) = parallel.AgreeOnStep(lossValue, cancellation.IsCancellationRequested);
                clock.Stop();
                stepMs.Add(clock.Elapsed.TotalMilliseconds);
                losses.Add(lossValue);

                double? val = null;
                var done = step + 1;
                if (isRoot && valTokens is not null && Options.EvalEvery > 0 && (done % Options.EvalEvery == 0 || done == Options.Steps))
                {
                    val = Evaluator.MeanLoss(objective, valTokens, Options.BatchSize, blockSize, Options.EvalBatches, device);
                    valLosses.Add(new ValPoint(done, val.Value));
                }
                if (isRoot) progress?.Invoke(new TrainingProgress(done, lossValue, tokensPerStep / clock.Elapsed.TotalSeconds, lr, val));
                if (isRoot && checkpointRoot is not null && Options.CheckpointEvery > 0 && done % Options.CheckpointEvery == 0 && done < Options.Steps)
                {
                    Save(checkpointRoot, objective, optimizers, new TrainerState(done, sampler.State, losses, valLosses, worldSize), device);
                    CheckpointSaved?.Invoke(done);
                }
            }
            if (isRoot && checkpointRoot is not null)
                Save(checkpointRoot, objective, optimizers, new TrainerState(step, sampler.State, losses, valLosses, worldSize), device);

            var median = stepMs.Count == 0 ? 0 : stepMs.Order().ElementAt(stepMs.Count / 2);
            return new TrainingResult(step, cancelled, losses, valLosses.Select(v => (v.Step, v.Loss)).ToList(), median,
                median > 0 ? tokensPerStep / (median / 1000) : 0, trainable.Sum(p => p.numel()));
        }
        finally
        {
            optimizers.Dispose();
        }
    }

    internal static (Tensor X, Tensor Y) ToTensors(TokenBatch batch, Device device)
    {
        long[] shape = [batch.BatchSize, batch.BlockSize];
        var x = torch.tensor(batch.X, shape);
        var y = torch.tensor(batch.Y, shape);
        if (device.Type == DeviceType.CPU) return (x, y);
        return (x.to(device), y.to(device));
    }

    private static void Save(string root, ITrainingObjective objective, ParameterGroups optimizers, TrainerState state, Device device)
    {
        var optState = optimizers.SaveState();
        try { TrainingCheckpoint.Save(root, objective.Trainable, optState, state, device); }
        finally { foreach (var t in optState.Values) t.Dispose(); }
    }
}
