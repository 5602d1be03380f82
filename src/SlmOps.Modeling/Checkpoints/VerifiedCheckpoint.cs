using System.Security.Cryptography;

namespace SlmOps.Modeling.Checkpoints;

/// <summary>
/// A checkpoint directory whose files all matched its manifest, with model.safetensors held in memory: the weights
/// are read once, hashed as the bytes arrive, and the same bytes are later copied into the parameters, so the file
/// that was checked is exactly the file that is loaded (no second read that could see a different file).
/// </summary>
public sealed class VerifiedCheckpoint
{
    private VerifiedCheckpoint(Sha256Manifest manifest, byte[] weights)
    {
        Manifest = manifest;
        Weights = weights;
    }

    public Sha256Manifest Manifest { get; }
    /// <summary>The whole model.safetensors file.</summary>
    public byte[] Weights { get; }
    public string WeightsSha256 => Manifest.Files[ModelCheckpoint.WeightsFile];

    /// <summary>
    /// Reads and checks every file the manifest lists; throws naming the first one that is missing or differs.
    /// <paramref name="checkWeights"/> sees the weights file's sha256 first (before the manifest comparison), so a
    /// caller holding a registered hash can refuse with its own error.
    /// </summary>
    public static VerifiedCheckpoint Open(string directory, Action<string, string>? checkWeights = null)
    {
        var manifest = Sha256Manifest.Read(directory);
        var weightsPath = Path.Combine(directory, ModelCheckpoint.WeightsFile);
        if (!manifest.Files.ContainsKey(ModelCheckpoint.WeightsFile))
            throw new InvalidDataException($"Checkpoint '{directory}' has no {ModelCheckpoint.WeightsFile} in its manifest.");
        if (!File.Exists(weightsPath))
            throw new InvalidDataException($"Checkpoint '{directory}' lists '{ModelCheckpoint.WeightsFile}' but the file is missing.");
        var (weights, weightsSha) = ReadHashed(weightsPath);
        checkWeights?.Invoke(weightsPath, weightsSha);
        foreach (var (rel, expected) in manifest.Files)
        {
            var path = Path.Combine(directory, rel);
            if (rel != ModelCheckpoint.WeightsFile && !File.Exists(path))
                throw new InvalidDataException($"Checkpoint '{directory}' lists '{rel}' but the file is missing.");
            var actual = rel == ModelCheckpoint.WeightsFile ? weightsSha : Sha256Manifest.HashFile(path);
            if (actual != expected)
                throw new InvalidDataException($"'{rel}' in '{directory}' has sha256 {actual}, but the manifest records {expected}: the file changed after it was written.");
        }
        return new VerifiedCheckpoint(manifest, weights);
    }

    /// <summary>One pass over the file: each chunk is hashed as it lands in the buffer it will be loaded from.</summary>
    private static (byte[] Bytes, string Sha256) ReadHashed(string path)
    {
        const int chunk = 1 << 20;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        if (stream.Length > Array.MaxLength) throw new InvalidDataException($"'{path}' is too large to load ({stream.Length:N0} bytes).");
        var bytes = GC.AllocateUninitializedArray<byte>((int)stream.Length);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var read = 0;
        while (read < bytes.Length)
        {
            var n = stream.Read(bytes, read, Math.Min(chunk, bytes.Length - read));
            if (n == 0) throw new InvalidDataException($"'{path}' ended after {read:N0} of {bytes.Length:N0} bytes while it was being read.");
            sha.AppendData(bytes, read, n);
            read += n;
        }
        return (bytes, Convert.ToHexStringLower(sha.GetHashAndReset()));
    }
}
