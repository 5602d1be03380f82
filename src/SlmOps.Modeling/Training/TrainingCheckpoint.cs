using System.Text.Json;
using SlmOps.Modeling.Checkpoints;
using SlmOps.Modeling.Data;
using SlmOps.Torch;

namespace SlmOps.Modeling.Training;

/// <summary>
/// Everything a resumed run needs besides the tensors: where the loop and the data stream were, and how many ranks
/// shared the batches (checkpoints written before data-parallel runs existed read as 1).
/// </summary>
public sealed record TrainerState(long Step, SamplerState Sampler, IReadOnlyList<double> Losses, IReadOnlyList<ValPoint> ValLosses, int WorldSize = 1);

public sealed record ValPoint(long Step, double Loss);

/// <summary>
/// A resumable training checkpoint directory: trainable.safetensors (weights), optimizer.safetensors
/// (AdamW moments and step counts), rng-cpu.bin / rng-cuda.bin (generator states; raw bytes because
/// safetensors has no uint8 here), trainer.json (step, sampler position, loss history) and a sha256
/// manifest. It is written to a sibling folder and renamed into place, so a crash mid-write leaves the
/// previous checkpoint intact. The swap takes two renames (latest -> latest.previous, latest.writing -> latest);
/// a crash between them leaves no latest, and the next reader puts latest.previous back (see
/// <see cref="RecoverInterruptedSwap"/>).
/// </summary>
public static class TrainingCheckpoint
{
    public const string WeightsFile = "trainable.safetensors";
    public const string OptimizerFile = "optimizer.safetensors";
    public const string StateFile = "trainer.json";

    public static string LatestPath(string checkpointRoot) => Path.Combine(checkpointRoot, "latest");

    public static void Save(string checkpointRoot, torch.nn.Module trainable, IReadOnlyDictionary<string, Tensor> optimizerState,
        TrainerState state, Device device)
    {
        var final = LatestPath(checkpointRoot);
        var staging = final + ".writing";
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        Directory.CreateDirectory(staging);

        trainable.save(Path.Combine(staging, WeightsFile));
        torch.save_safetensors(optimizerState, Path.Combine(staging, OptimizerFile));
        using (var rng = torch.get_rng_state()) File.WriteAllBytes(Path.Combine(staging, "rng-cpu.bin"), rng.ToArray<byte>());
        if (device.Type == DeviceType.CUDA)
            using (var rng = torch.cuda.get_rng_state(device.Index))
                File.WriteAllBytes(Path.Combine(staging, "rng-cuda.bin"), rng.ToArray<byte>());
        File.WriteAllText(Path.Combine(staging, StateFile), JsonSerializer.Serialize(state, ModelingJson.Options));
        Sha256Manifest.Write(staging);

        var previous = final + ".previous";
        if (Directory.Exists(previous)) Directory.Delete(previous, recursive: true);
        if (Directory.Exists(final)) Directory.Move(final, previous);
        Directory.Move(staging, final);
        if (Directory.Exists(previous)) Directory.Delete(previous, recursive: true);
    }

    public static bool Exists(string checkpointRoot)
    {
        RecoverInterruptedSwap(checkpointRoot);
        return File.Exists(Path.Combine(LatestPath(checkpointRoot), Sha256Manifest.FileName));
    }

    /// <summary>
    /// After a crash between the two renames of <see cref="Save"/>, latest is missing and latest.previous holds the
    /// last complete checkpoint: move it back. The half-swapped latest.writing is left for the next Save to delete;
    /// resuming from the older step only repeats steps whose metrics are stored idempotently.
    /// </summary>
    public static void RecoverInterruptedSwap(string checkpointRoot)
    {
        var final = LatestPath(checkpointRoot);
        var previous = final + ".previous";
        if (!Directory.Exists(final) && File.Exists(Path.Combine(previous, Sha256Manifest.FileName)))
            Directory.Move(previous, final);
    }

    /// <summary>Verifies the manifest, restores weights and RNG state, and returns the optimizer tensors and loop state.</summary>
    public static (Dictionary<string, Tensor> OptimizerState, TrainerState State) Load(string checkpointRoot, torch.nn.Module trainable, Device device)
    {
        RecoverInterruptedSwap(checkpointRoot);
        var dir = LatestPath(checkpointRoot);
        Sha256Manifest.Verify(dir);
        trainable.load(Path.Combine(dir, WeightsFile));
        var optimizer = torch.load_safetensors(Path.Combine(dir, OptimizerFile), device);
        using (var rng = RngBytes(Path.Combine(dir, "rng-cpu.bin")))
            torch.set_rng_state(rng);
        var cudaRng = Path.Combine(dir, "rng-cuda.bin");
        if (device.Type == DeviceType.CUDA && File.Exists(cudaRng))
            using (var rng = RngBytes(cudaRng))
                torch.cuda.set_rng_state(rng, device.Index);
        var state = JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(Path.Combine(dir, StateFile)), ModelingJson.Options)
            ?? throw new InvalidDataException($"'{dir}/{StateFile}' is empty.");
        return (optimizer, state);
    }

    private static Tensor RngBytes(string path)
    {
        var bytes = File.ReadAllBytes(path);
        return torch.tensor(bytes, [bytes.LongLength], ScalarType.UInt8);
    }
}
