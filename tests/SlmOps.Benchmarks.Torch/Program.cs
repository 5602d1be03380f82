using System.Globalization;
using SlmOps.Benchmarks.Torch;
using SlmOps.Torch;

// Trains one GPT in C# (SlmOps.Torch) and in PyTorch eager from the same initial weights and batches,
// and prints tokens/s for each side and their ratio. See deploy/bench/torch.sh.
if (args.Length > 0 && args[0] == "ddp")
{
    return DdpBench.Run(BenchOptions.Parse(args[1..])); // deploy/bench/ddp.sh
}
var o = BenchOptions.Parse(args);
var inv = CultureInfo.InvariantCulture;
var device = Device.Parse(o.Device);
if (o.Bf16 && device.Type != DeviceType.CUDA)
{
    // SlmOps.Torch's autocast is CUDA-only (a no-op on CPU) while PyTorch would autocast on CPU: not comparable.
    Console.Error.WriteLine("--bf16 needs a CUDA device: autocast is CUDA-only in SlmOps.Torch, so a CPU bf16 run would not compare like with like");
    return 2;
}
torch.set_num_threads(o.Threads);
var config = GptConfig.Benchmark;
Console.WriteLine($"device={device} threads(intra-op, both sides)={torch.get_num_threads()} dtype={(o.Bf16 ? "bf16-autocast" : "float32")}");
Console.WriteLine($"model: V={config.Vocab} T={config.Context} d={config.Dim} layers={config.Layers} heads={config.Heads} batch={o.Batch}; AdamW lr={o.Lr} wd={o.WeightDecay}");
Console.WriteLine($"schedule: warm-up {o.Warmup} steps (excluded), then {o.Reps} repetitions of {o.Steps} steps per side, alternating sides; median reported");
if (device.Type == DeviceType.CUDA)
{
    Console.WriteLine($"gpu: {torch.cuda.get_device_name(device.Index)}");
}

var workDir = Directory.CreateTempSubdirectory("slmops-bench-torch-");
var initPath = Path.Combine(workDir.FullName, "init.safetensors");
torch.manual_seed(o.Seed);
using var model = new Gpt(config);
using var data = torch.randint(0, config.Vocab, [8, o.Batch, config.Context + 1]);
InitFile.Write(initPath, model, data, o);
var flopsPerToken = Flops.PerToken(model.MatmulParameterCount, config);
Console.WriteLine($"parameters: {model.parameter_count():N0} total, {model.MatmulParameterCount:N0} in matmuls");
Console.WriteLine($"{Flops.Formula} = {flopsPerToken / 1e6:F1} MFLOP/token");

model.to(device);
using var deviceData = data.to(device);
var trainer = new Trainer(model, deviceData, o, device);
// PyTorch warms up first (alone), then C#; then the repetitions alternate C#, PyTorch, C#, ... so that the
// machine's noisy phases fall on both sides alike.
using var python = o.SkipPython ? null : PythonSide.Start(o, initPath);
trainer.Warmup();
var csRates = new List<double>();
var pyRates = new List<double>();
double csLoss = double.NaN, pyLoss = double.NaN;
double[] pyPhases = [];
for (var r = 0; r < o.Reps; r++)
{
    (var rate, csLoss) = trainer.Rep();
    csRates.Add(rate);
    if (python is not null)
    {
        var rep = python.Rep();
        pyRates.Add(rep.TokS);
        pyLoss = rep.Loss;
        pyPhases = rep.PhasesMs;
    }
}
var cs = Stats.Median(csRates);
Console.WriteLine($"csharp:  tok/s per rep [{Join(csRates)}] median {cs:F0}; loss first {trainer.FirstLoss:F5} last {csLoss:F5}");

if (device.Type == DeviceType.CPU)
{
    Console.WriteLine($"csharp phases: {trainer.PhaseReport}");
}

var summary = $"torch: device={DeviceName(device)} threads={o.Threads} csharp_tok_s={cs:F0}";
if (python is not null)
{
    var py = Stats.Median(pyRates);
    Console.WriteLine($"pytorch: tok/s per rep [{Join(pyRates)}] median {py:F0}; loss first {python.Ready.FirstLoss:F5} last {pyLoss:F5} " +
        $"(torch {python.Ready.Torch}, threads {python.Ready.Threads})");
    Console.WriteLine($"first-step loss |C# - PyTorch| = {Math.Abs(trainer.FirstLoss - (python.Ready.FirstLoss ?? double.NaN)):E2}, " +
        $"after {o.Warmup + (o.Reps * o.Steps)} steps = {Math.Abs(csLoss - pyLoss):E2} (same init and data)");
    if (python.Ready.Params != model.parameter_count())
    {
        throw new InvalidOperationException($"parameter count mismatch: C# {model.parameter_count()} vs PyTorch {python.Ready.Params}");
    }
    if (python.Ready.Threads != o.Threads)
    {
        throw new InvalidOperationException($"thread mismatch: PyTorch runs {python.Ready.Threads}, C# {o.Threads}");
    }
    if (device.Type == DeviceType.CPU)
    {
        Console.WriteLine($"pytorch phases: forward+loss {pyPhases[0]:F1} ms, zero_grad+backward {pyPhases[1]:F1} ms, " +
            $"AdamW step {pyPhases[2]:F1} ms per step");
    }
    summary += $" pytorch_tok_s={py:F0}";
    if (device.Type == DeviceType.CUDA)
    {
        summary += $" dtype={(o.Bf16 ? "bf16" : "f32")} mfu_csharp={Flops.Mfu(cs, flopsPerToken, o.PeakTflops):P1} " +
            $"mfu_pytorch={Flops.Mfu(py, flopsPerToken, o.PeakTflops):P1} peak_tflops={o.PeakTflops}";
    }
    summary += $" ratio={cs / py:F2} vs pytorch-eager";
}
else if (device.Type == DeviceType.CUDA)
{
    summary += $" mfu_csharp={Flops.Mfu(cs, flopsPerToken, o.PeakTflops):P1}";
}
workDir.Delete(recursive: true);
Console.WriteLine(summary);
return 0;


string Join(IEnumerable<double> xs) => string.Join(", ", xs.Select(x => x.ToString("F0", inv)));

static string DeviceName(Device d) => d.Type == DeviceType.CUDA ? $"cuda:{d.Index}" : "cpu";
