using System.Diagnostics;
using SlmOps.Torch;
using static SlmOps.Torch.torch.nn.functional;

namespace SlmOps.Benchmarks.Torch;

/// <summary>The C# side of the measurement: same schedule as python/bench_gpt.py (warm-up, then timed reps).</summary>
public sealed class Trainer(Gpt model, Tensor data, BenchOptions options, Device device)
{
    private readonly SlmOps.Torch.Optim.AdamW _optimizer = torch.optim.AdamW(model.parameters(), options.Lr,
        beta1: 0.9, beta2: 0.95, eps: 1e-8, weight_decay: options.WeightDecay);
    private long _step;
    private readonly Stopwatch _forward = new(), _backward = new(), _reduce = new(), _optim = new();

    /// <summary>Set on each rank of a data-parallel run: gradients are averaged across ranks after backward.</summary>
    public SlmOps.Torch.Distributed.GradientBuckets? Buckets { get; init; }

    /// <summary>Per-phase milliseconds per step over all steps so far (--profile; CPU eager needs no sync).</summary>
    public string PhaseReport => _step == 0 ? "" :
        $"forward+loss {_forward.Elapsed.TotalMilliseconds / _step:F1} ms, zero_grad+backward {_backward.Elapsed.TotalMilliseconds / _step:F1} ms, " +
        (Buckets is null ? "" : $"gradient all-reduce after backward {_reduce.Elapsed.TotalMilliseconds / _step:F1} ms, ") +
        $"AdamW step {_optim.Elapsed.TotalMilliseconds / _step:F1} ms per step";

    /// <summary>Loss of the first warm-up step (comparable with PyTorch's: same init, same batch).</summary>
    public double FirstLoss { get; private set; } = double.NaN;

    public void Warmup()
    {
        for (var i = 0; i < options.Warmup; i++)
        {
            var loss = Step(readLoss: true);
            if (i == 0)
            {
                FirstLoss = loss;
            }
        }
    }

    /// <summary>One timed repetition: tokens/s and the last step's loss.</summary>
    public (double TokS, double Loss) Rep()
    {
        var tokensPerStep = data.shape[1] * (data.shape[2] - 1);
        Sync();
        var clock = Stopwatch.StartNew();
        var last = 0.0;
        for (var s = 0; s < options.Steps; s++)
        {
            last = Step(readLoss: s == options.Steps - 1);
        }
        Sync();
        return (options.Steps * tokensPerStep / clock.Elapsed.TotalSeconds, last);
    }

    private double Step(bool readLoss)
    {
        // Every temporary of the step (activations, graph outputs, the loss) is freed here, not by the GC.
        using var scope = torch.NewDisposeScope();
        var batch = data.narrow(0, _step % data.shape[0], 1).squeeze(0);
        var t = batch.shape[1] - 1;
        var x = batch.narrow(1, 0, t);
        var y = batch.narrow(1, 1, t);
        Tensor loss;
        _forward.Start();
        using (options.Bf16 ? torch.autocast(device, ScalarType.BFloat16) : null)
        {
            var logits = model.call(x);
            loss = cross_entropy(logits.reshape(-1, logits.shape[^1]).to(ScalarType.Float32), y.reshape(-1));
        }
        _forward.Stop();
        _backward.Start();
        _optimizer.zero_grad();
        loss.backward();
        _backward.Stop();
        _reduce.Start();
        Buckets?.AverageGradients();
        _reduce.Stop();
        _optim.Start();
        _optimizer.step();
        _optim.Stop();
        _step++;
        // Reading the loss synchronises (and costs a copy), so the timed loop does it only on its last step.
        return readLoss ? loss.item<float>() : double.NaN;
    }

    private void Sync()
    {
        if (device.Type == DeviceType.CUDA)
        {
            torch.cuda.synchronize(device.Index);
        }
    }
}
