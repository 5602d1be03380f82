namespace SlmOps.Modeling.Checkpoints;

/// <summary>
/// A checkpoint directory being loaded against its manifest. <see cref="Open"/> checks every file but the weights
/// (config and tokenizer: small) before anything is built from them; <see cref="LoadWeightsInto"/> streams
/// model.safetensors into a freshly built module, hashing the bytes as they go in, and then checks that hash, so the
/// bytes that were checked are exactly the bytes loaded (no second read that could see a different file).
/// </summary>
public sealed class VerifiedCheckpoint
{
    private VerifiedCheckpoint(string directory, Sha256Manifest manifest)
    {
        Directory = directory;
        Manifest = manifest;
    }

    public string Directory { get; }
    public Sha256Manifest Manifest { get; }
    public string WeightsPath => Path.Combine(Directory, ModelCheckpoint.WeightsFile);

    /// <summary>Reads the manifest and checks every file it lists except the weights; throws naming the first that is missing or differs.</summary>
    public static VerifiedCheckpoint Open(string directory)
    {
        var manifest = Sha256Manifest.Read(directory);
        if (!manifest.Files.ContainsKey(ModelCheckpoint.WeightsFile))
            throw new InvalidDataException($"Checkpoint '{directory}' has no {ModelCheckpoint.WeightsFile} in its manifest.");
        foreach (var (rel, expected) in manifest.Files)
        {
            var path = Path.Combine(directory, rel);
            if (!File.Exists(path))
                throw new InvalidDataException($"Checkpoint '{directory}' lists '{rel}' but the file is missing.");
            if (rel != ModelCheckpoint.WeightsFile) RequireHash(directory, rel, Sha256Manifest.HashFile(path), expected);
        }
        return new VerifiedCheckpoint(directory, manifest);
    }

    /// <summary>
    /// Streams the weights into <paramref name="module"/> (built for this load) and checks their sha256:
    /// <paramref name="checkWeights"/> sees it first (before the manifest comparison), so a caller holding a registered
    /// hash can refuse with its own error. On any exception the module holds unverified values and must be disposed.
    /// </summary>
    public void LoadWeightsInto(SlmOps.Torch.torch.nn.Module module, Action<string, string>? checkWeights = null)
    {
        var actual = SafetensorsStream.LoadInto(module, WeightsPath);
        checkWeights?.Invoke(WeightsPath, actual);
        RequireHash(Directory, ModelCheckpoint.WeightsFile, actual, Manifest.Files[ModelCheckpoint.WeightsFile]);
    }

    private static void RequireHash(string directory, string rel, string actual, string expected)
    {
        if (actual != expected)
            throw new InvalidDataException($"'{rel}' in '{directory}' has sha256 {actual}, but the manifest records {expected}: the file changed after it was written.");
    }
}
