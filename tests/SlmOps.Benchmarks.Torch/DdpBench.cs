using System.Globalization;
using SlmOps.Torch;

namespace SlmOps.Benchmarks.Torch;

/// <summary>
/// deploy/bench/ddp.sh: the benchmark GPT trained data-parallel with world size 1 and 2, in C# (SlmOps.Torch c10d, ranks
/// as threads) and in PyTorch DDP (python/bench_gpt.py, ranks as processes), same init, same shards (B rows per rank of
/// every batch), one intra-op thread per rank on both sides, warm-up excluded, repetitions alternating, medians.
/// </summary>
public static class DdpBench
{
    private const int World = 2;

    public static int Run(BenchOptions o)
    {
        // cpu: gloo, every rank on the CPU; cuda: nccl, rank r on cuda:r (deploy/gpu/ddp-nccl.sh).
        var cuda = Device.Parse(o.Device).Type == DeviceType.CUDA;
        if (cuda && torch.cuda.device_count() < World)
        {
            Console.Error.WriteLine($"the NCCL variant needs {World} GPUs, this machine has {torch.cuda.device_count()}");
            return 2;
        }
        var deviceName = cuda ? "cuda" : "cpu";
        var inv = CultureInfo.InvariantCulture;
        torch.set_num_threads(o.Threads);
        var config = GptConfig.Benchmark;
        Console.WriteLine($"device={deviceName} ranks 1 and {World}; intra-op threads per rank (both sides)={torch.get_num_threads()}; float32; " +
            $"{(cuda ? "nccl, rank r on cuda:r" : "gloo over 127.0.0.1")}");
        Console.WriteLine($"model: V={config.Vocab} T={config.Context} d={config.Dim} layers={config.Layers} heads={config.Heads}; " +
            $"batch {o.Batch} per rank (weak scaling); AdamW lr={o.Lr} wd={o.WeightDecay}; gradients averaged in {o.BucketMb} MiB buckets, the first 1 MiB (both sides)");
        Console.WriteLine($"schedule per world size: warm-up {o.Warmup} steps (excluded), then {o.Reps} repetitions of {o.Steps} steps per side, alternating; median");

        var workDir = Directory.CreateTempSubdirectory("slmops-bench-ddp-");
        var initPath = Path.Combine(workDir.FullName, "init.safetensors");
        var finalPath = Path.Combine(workDir.FullName, "pytorch-final.safetensors");
        torch.manual_seed(o.Seed);
        using var model = new Gpt(config);
        using var data = torch.randint(0, config.Vocab, [8, o.Batch * World, config.Context + 1]);
        InitFile.Write(initPath, model, data, o);

        var cs = new Dictionary<int, double>();
        var py = new Dictionary<int, double>();
        Dictionary<string, float[]> csFinal = [];
        foreach (var world in new[] { 1, World })
        {
            using var store = SlmOps.Torch.Distributed.TcpStore.Host(world, TimeSpan.FromMinutes(5)); // PyTorch's ranks rendezvous here
            var port = store.Port;
            var ranks = Enumerable.Range(0, world).Select(r => PythonSide.Launch(o with { Device = cuda ? $"cuda:{r}" : "cpu" }, initPath,
                "--world", $"{world}", "--rank", $"{r}", "--port", $"{port}", "--batch", $"{o.Batch}", "--bucket-mb", $"{o.BucketMb}",
                "--save-final", world == World ? finalPath : "")).ToList();
            try
            {
                var ready = ranks.Select(p => p.Ready).ToList(); // PyTorch warms up first, alone
                if (ready.Any(r => r.Threads != o.Threads))
                    throw new InvalidOperationException($"thread mismatch: PyTorch runs {ready[0].Threads} per rank, C# {o.Threads}");
                using var gang = new CsharpGang(world, model, data, o);
                var csRates = new List<double>();
                var pyRates = new List<double>();
                double[] pyPhases = [];
                for (var r = 0; r < o.Reps; r++)
                {
                    csRates.Add(gang.Rep().TokS);
                    ranks.ForEach(p => p.StartRep());
                    var reps = ranks.Select(p => p.ReadRep()).ToList();
                    pyRates.Add(reps[0].TokS); // every rank counts all ranks' tokens; rank 0's is reported
                    pyPhases = reps[0].PhasesMs;
                }
                cs[world] = Stats.Median(csRates);
                py[world] = Stats.Median(pyRates);
                Console.WriteLine($"ranks={world}: csharp tok/s [{Join(csRates, inv)}] median {cs[world]:F0}; pytorch-ddp tok/s [{Join(pyRates, inv)}] median {py[world]:F0}; " +
                    $"first-step loss C# {gang.FirstLoss:F5} PyTorch {ready[0].FirstLoss:F5}");
                Console.WriteLine($"  phases: csharp {gang.PhaseReport}");
                Console.WriteLine($"  phases: pytorch rank 0: forward+loss {pyPhases[0]:F1} ms, zero_grad+backward{(world > 1 ? " (with DDP's overlapped all-reduce)" : "")} " +
                    $"{pyPhases[1]:F1} ms, AdamW step {pyPhases[2]:F1} ms per step");
                gang.Dispose();
                if (world == World) csFinal = gang.FinalWeights;
            }
            finally
            {
                ranks.ForEach(p => p.Dispose()); // "quit": rank 0 of the 2-rank run writes its final weights
            }
        }

        var (diff, worst) = MaxRelativeDifference(csFinal, TorchSafetensorsRead(finalPath));
        var where = diff == 0 ? "none: every parameter is bit-identical" : $"largest in '{worst}'";
        Console.WriteLine($"pytorch-ddp scaling={py[World] / py[1]:F2}; C# vs PyTorch parameters after {o.Warmup + (o.Reps * o.Steps)} steps " +
            $"(max |C# - PyTorch| / max |PyTorch| per tensor): {where}");
        workDir.Delete(recursive: true);
        Console.WriteLine($"ddp: device={deviceName} ranks={World} csharp_tok_s={cs[World]:F0} pytorch_tok_s={py[World]:F0} ratio={cs[World] / py[World]:F2} vs pytorch-ddp " +
            $"scaling={cs[World] / cs[1]:F2} max_rel_param_diff={diff.ToString("0.00e+00", inv)}");
        return 0;
    }

    private static Dictionary<string, float[]> TorchSafetensorsRead(string path)
    {
        using var scope = torch.NewDisposeScope();
        return torch.load_safetensors(path, Device.CPU).ToDictionary(kv => kv.Key, kv => kv.Value.ToArray<float>());
    }

    private static (double Diff, string Tensor) MaxRelativeDifference(Dictionary<string, float[]> ours, Dictionary<string, float[]> theirs)
    {
        if (ours.Count != theirs.Count || ours.Keys.Any(k => !theirs.ContainsKey(k)))
            throw new InvalidOperationException("C# and PyTorch weights have different names");
        return ours.Select(kv =>
        {
            var t = theirs[kv.Key];
            var scale = t.Max(MathF.Abs);
            var d = kv.Value.Zip(t, (a, b) => MathF.Abs(a - b)).Max();
            return (Diff: (double)(d / scale), Tensor: kv.Key);
        }).MaxBy(x => x.Diff);
    }


    private static string Join(IEnumerable<double> xs, IFormatProvider inv) => string.Join(", ", xs.Select(x => x.ToString("F0", inv)));
}
