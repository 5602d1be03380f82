namespace SlmOps.Artifacts;

/// <summary>Where a cache fetches blobs from: the artifact service over HTTP, or (in the web host) its own store.</summary>
public interface IBlobSource
{
    /// <summary>Writes the blob to <paramref name="destination"/>, verified by sha256, or throws.</summary>
    Task DownloadAsync(string sha256, string destination, CancellationToken cancellation);
}
