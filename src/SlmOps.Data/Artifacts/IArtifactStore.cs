namespace SlmOps.Data.Artifacts;

/// <summary>
/// Content-addressed files: a file's identity is the lowercase hex SHA-256 of its bytes, so the same bytes are
/// stored once and a stored file can never change under its name.
/// </summary>
public interface IArtifactStore
{
    /// <summary>Streams <paramref name="content"/> into the store, hashing as it goes; stops with
    /// <see cref="ArtifactTooLargeException"/> once more than <paramref name="maxBytes"/> arrived.</summary>
    Task<StoredArtifact> PutAsync(Stream content, long? maxBytes = null, CancellationToken cancellation = default);

    /// <summary>
    /// As <see cref="PutAsync(Stream, long?, CancellationToken)"/>, for bytes whose hash the sender named: when they hash
    /// otherwise it throws <see cref="ArtifactHashMismatchException"/> before anything is committed, so a bad upload
    /// leaves nothing behind and never touches a file already stored under either hash.
    /// </summary>
    Task<StoredArtifact> PutAsync(Stream content, long? maxBytes, string? expectedSha256, CancellationToken cancellation);

    /// <summary>Copies a local file into the store.</summary>
    Task<StoredArtifact> PutFileAsync(string path, CancellationToken cancellation = default);

    bool Exists(string sha256);

    /// <summary>The local path of a stored file (read-only by convention; never write to it).</summary>
    string PathOf(string sha256);

    Stream OpenRead(string sha256);

    /// <summary>Removes a stored file; false when it was not there. Callers first make sure no row references it.</summary>
    bool Delete(string sha256);
}

/// <summary>
/// Relative path is what the artifacts table records in <c>uri</c>. <paramref name="Created"/>: this put added the file
/// (false when the same bytes were already stored, which are then left as they were).
/// </summary>
public sealed record StoredArtifact(string Sha256, long SizeBytes, string RelativePath, bool Created);

public sealed class ArtifactTooLargeException(long maxBytes)
    : Exception($"The upload is larger than the limit of {maxBytes:N0} bytes.")
{
    public long MaxBytes { get; } = maxBytes;
}

/// <summary>The bytes do not hash to the SHA-256 their sender named; nothing was stored.</summary>
public sealed class ArtifactHashMismatchException(string expectedSha256, string actualSha256, long sizeBytes)
    : Exception($"The {sizeBytes:N0} bytes received have SHA-256 {actualSha256}, not {expectedSha256} as named; nothing was stored.")
{
    public string ExpectedSha256 { get; } = expectedSha256;
    public string ActualSha256 { get; } = actualSha256;
    public long SizeBytes { get; } = sizeBytes;
}
