using System.Diagnostics;
using System.Text.Json;
using SlmOps.Modeling.Architectures;
using SlmOps.Modeling.Data;
using SlmOps.Modeling.Models;
using SlmOps.Modeling.Tests.Coupling;
using SlmOps.Modeling.Training;
using SlmOps.Torch;

namespace SlmOps.Modeling.Tests.Training;

// The same 2-rank run in PyTorch itself (torch.distributed gloo, DistributedDataParallel, 2 processes; Debian's
// python3-torch), from the same initial weights and the same shards written to one safetensors file: the mean loss
// over ranks must agree with ours within 1e-5 at every step.
public sealed class PeerDataParallelTests : IDisposable
{
    private const int World = 2;
    private readonly string _dir = Directory.CreateTempSubdirectory("ddp-peer-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("gpt")]
    [InlineData("fft")]
    public void Pytorch_ddp_on_the_same_shards_gives_the_same_loss_at_every_step(string architecture)
    {
        ModelConfig config = architecture == "fft" ? ModelPresets.TinyFft(19, 16) : ModelPresets.TinyGpt(19, 16);
        var options = new TrainingOptions { Steps = 20, BatchSize = 4, LearningRate = 5e-3, MinLearningRate = 5e-4, WarmupSteps = 3, Seed = 11 };
        var tokens = CoupledTrainingTests.PatternTokens(4000, seed: 3);
        torch.manual_seed(5);
        using var initial = ModelFactory.Create(config);
        var init = Path.Combine(_dir, "init.safetensors");
        WriteInit(init, initial, config, options, tokens);

        var ours = LocalGang.Run(World, TimeSpan.FromSeconds(60), dp =>
        {
            using var model = ModelFactory.Create(config);
            if (dp.IsRoot) model.load_state_dict(initial.state_dict());
            return new Trainer(options) { Parallel = dp }.Run(new LanguageModelObjective(model), tokens).Losses;
        })[0];
        var theirs = RunPytorch(init);

        Assert.Equal(options.Steps, theirs.Count);
        for (var i = 0; i < ours.Count; i++)
            Assert.True(Math.Abs(ours[i] - theirs[i]) <= 1e-5 * Math.Abs(theirs[i]), $"step {i + 1}: ours {ours[i]}, PyTorch DDP {theirs[i]}");
    }

    /// <summary>Weights, the global batches of every step (what the sharded samplers read together) and the optimizer's settings.</summary>
    private static void WriteInit(string path, LanguageModel model, ModelConfig config, TrainingOptions o, int[] tokens)
    {
        using var scope = torch.NewDisposeScope();
        var sampler = new BatchSampler(tokens, o.BatchSize * World, config.BlockSize, (ulong)o.Seed);
        var batches = Enumerable.Range(0, o.Steps).Select(_ => sampler.Next()).ToList();
        long[] shape = [o.Steps, o.BatchSize * World, config.BlockSize];
        var payload = model.state_dict().ToList();
        payload.Add(new("batches.x", torch.tensor(batches.SelectMany(b => b.X).ToArray(), shape)));
        payload.Add(new("batches.y", torch.tensor(batches.SelectMany(b => b.Y).ToArray(), shape)));
        var optimizer = new
        {
            lrs = Enumerable.Range(0, o.Steps).Select(s => o.Schedule.At(s)).ToArray(),
            weight_decay = o.WeightDecay, beta1 = o.Beta1, beta2 = o.Beta2, grad_clip = o.GradClip,
        };
        torch.save_safetensors(payload, path, new Dictionary<string, string>
        {
            ["model"] = JsonSerializer.Serialize(config, ModelingJson.Options),
            ["optimizer"] = JsonSerializer.Serialize(optimizer),
        });
    }

    private IReadOnlyList<double> RunPytorch(string init)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Training", "ddp_reference.py");
        var output = Path.Combine(_dir, "losses.json");
        // Our store hosts PyTorch's rendezvous: its ranks connect to it as clients.
        using var store = SlmOps.Torch.Distributed.TcpStore.Host(World, TimeSpan.FromSeconds(60));
        var port = store.Port;
        var ranks = Enumerable.Range(0, World).Select(rank =>
        {
            var psi = new ProcessStartInfo("/usr/bin/python3", [script, init, $"{rank}", $"{World}", $"{port}", output]) { RedirectStandardError = true };
            var p = Process.Start(psi)!;
            return (Process: p, Stderr: p.StandardError.ReadToEndAsync());
        }).ToList();
        foreach (var (p, stderr) in ranks)
        {
            if (!p.WaitForExit(120_000)) p.Kill();
            Assert.True(p.ExitCode == 0, $"ddp_reference.py failed ({p.ExitCode}): {stderr.Result}");
        }
        using var doc = JsonDocument.Parse(File.ReadAllText(output));
        return doc.RootElement.GetProperty("losses").EnumerateArray().Select(e => e.GetDouble()).ToList();
    }
}
