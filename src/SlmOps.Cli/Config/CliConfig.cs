using System.Text.Json;

namespace SlmOps.Cli.Config;

/// <summary>What `slmops configure` saves: the server address and the API key.</summary>
public sealed record CliConfig(string? Server, string? ApiKey)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>SLMOPS_CONFIG, else $XDG_CONFIG_HOME/slmops/config.json, else ~/.config/slmops/config.json.</summary>
    public static string DefaultPath(Func<string, string?> env)
    {
        if (env("SLMOPS_CONFIG") is { Length: > 0 } explicitPath) return explicitPath;
        var configHome = env("XDG_CONFIG_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        return Path.Combine(configHome, "slmops", "config.json");
    }

    public static CliConfig Load(string path)
    {
        if (!File.Exists(path)) return new CliConfig(null, null);
        try
        {
            return JsonSerializer.Deserialize<CliConfig>(File.ReadAllText(path), Json) ?? new CliConfig(null, null);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The config file {path} is not valid JSON ({e.Message}); fix it or run `slmops configure` again.", e);
        }
    }

    /// <summary>Writes the file readable by its owner only (0600): it holds a secret.</summary>
    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = path + ".tmp";
        File.WriteAllText(temp, "");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(temp, JsonSerializer.Serialize(this, Json));
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>slm_abcd1234_secret → slm_abcd1234_****; anything else keeps its first 4 characters.</summary>
    public static string Mask(string? key)
    {
        if (string.IsNullOrEmpty(key)) return "(none)";
        var parts = key.Split('_');
        if (parts is ["slm", var prefix, _, ..]) return $"slm_{prefix}_****";
        return key.Length <= 4 ? "****" : key[..4] + "****";
    }
}
