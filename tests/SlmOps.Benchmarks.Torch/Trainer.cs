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

    public List<double> Losses { get; } = [];

    /// <summary>Runs warm-up, then the timed repetitions; returns tokens/s per repetition.</summary>
    public List<double> Run()
    {
        for (var i = 0; i < options.Warmup; i++)
        {
            Losses.Add(Step(readLoss: true));
        }
        var rates = new List<double>();
        var tokensPerStep = data.shape[1] * (data.shape[2] - 1);
        for (var r = 0; r < options.Reps; r++)
        {
            Sync();
            var clock = Stopwatch.StartNew();
            var last = 0.0;
            for (var s = 0; s < options.Steps; s++)
            {
                last = Step(readLoss: s == options.Steps - 1);
            }
            Sync();
            var seconds = clock.Elapsed.TotalSeconds;
            Losses.Add(last);
            rates.Add(options.Steps * tokensPerStep / seconds);
        }
        return rates;
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
        using (options.Bf16 ? torch.autocast(device, ScalarType.BFloat16) : null)
        {
            var logits = model.call(x);
            loss = cross_entropy(logits.reshape(-1, logits.shape[^1]).to(ScalarType.Float32), y.reshape(-1));
        }
        _optimizer.zero_grad();
        loss.backward();
        _optimizer.step();
        _step++;
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
