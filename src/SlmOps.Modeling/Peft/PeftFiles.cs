using System.Text.Json;
using SlmOps.Modeling.Checkpoints;
using SlmOps.Torch;

namespace SlmOps.Modeling.Peft;

/// <summary>
/// How every parameter-efficient module set is stored: only its own parameters (adapter.safetensors), its config
/// (adapter.json, which names the base LLM's weights hash) and a sha256 manifest; never any of the LLM's weights.
/// </summary>
public static class PeftFiles
{
    public const string WeightsFile = "adapter.safetensors";
    public const string ConfigFile = "adapter.json";

    public static Sha256Manifest Save<TConfig>(string dir, torch.nn.Module modules, string kind, TConfig config)
    {
        Directory.CreateDirectory(dir);
        modules.save(Path.Combine(dir, WeightsFile), new Dictionary<string, string> { ["format"] = "pt", ["slmops.kind"] = kind });
        File.WriteAllText(Path.Combine(dir, ConfigFile), JsonSerializer.Serialize(config, ModelingJson.Options));
        return Sha256Manifest.Write(dir);
    }

    /// <summary>Verifies the folder against its manifest and reads the config.</summary>
    public static TConfig ReadConfig<TConfig>(string dir)
    {
        Sha256Manifest.Verify(dir);
        return JsonSerializer.Deserialize<TConfig>(File.ReadAllText(Path.Combine(dir, ConfigFile)), ModelingJson.Options)
            ?? throw new InvalidDataException($"'{dir}/{ConfigFile}' is empty.");
    }

    /// <summary>Refuses modules trained on other base weights than the model they are loaded onto.</summary>
    public static void EnsureSameBase(string trainedOn, string loadedOnto, string what)
    {
        if (trainedOn != loadedOnto)
            throw new InvalidDataException($"These {what} were trained on base weights {trainedOn}, not {loadedOnto}.");
    }

    public static void LoadWeights(string dir, torch.nn.Module modules) => modules.load(Path.Combine(dir, WeightsFile));
}
