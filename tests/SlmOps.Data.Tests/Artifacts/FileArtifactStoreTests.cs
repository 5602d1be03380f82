using System.Security.Cryptography;
using System.Text;
using SlmOps.Data.Artifacts;

namespace SlmOps.Data.Tests.Artifacts;

public sealed class FileArtifactStoreTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"slmops-store-{Guid.NewGuid():N}");
    private readonly FileArtifactStore _store;

    public FileArtifactStoreTests() => _store = new FileArtifactStore(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task A_file_is_named_by_the_sha256_of_its_bytes_and_reads_back_unchanged()
    {
        var bytes = Encoding.UTF8.GetBytes("the quick brown fox\n");

        var stored = await _store.PutAsync(new MemoryStream(bytes));

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), stored.Sha256);
        Assert.Equal(bytes.Length, stored.SizeBytes);
        Assert.Equal(Path.Combine(stored.Sha256[..2], stored.Sha256[2..4], stored.Sha256), stored.RelativePath);
        await using var read = _store.OpenRead(stored.Sha256);
        using var copy = new MemoryStream();
        await read.CopyToAsync(copy);
        Assert.Equal(bytes, copy.ToArray());
    }

    [Fact]
    public async Task The_same_bytes_are_stored_once()
    {
        var bytes = RandomNumberGenerator.GetBytes(200_000);

        var first = await _store.PutAsync(new MemoryStream(bytes));
        var second = await _store.PutAsync(new MemoryStream(bytes));

        Assert.Equal((first.Sha256, first.SizeBytes, first.RelativePath), (second.Sha256, second.SizeBytes, second.RelativePath));
        Assert.Equal((true, false), (first.Created, second.Created));
        Assert.Single(StoredFiles());
        Assert.Empty(Directory.GetFiles(Path.Combine(_root, "tmp")));
    }

    [Fact]
    public async Task Going_over_the_size_limit_stops_and_leaves_no_file_behind()
    {
        var bytes = new byte[300_000];

        var error = await Assert.ThrowsAsync<ArtifactTooLargeException>(() => _store.PutAsync(new MemoryStream(bytes), maxBytes: 100_000));

        Assert.Equal(100_000, error.MaxBytes);
        Assert.Contains("100,000 bytes", error.Message);
        Assert.Empty(StoredFiles());
        Assert.Empty(Directory.GetFiles(Path.Combine(_root, "tmp")));
    }

    [Fact]
    public async Task Bytes_that_do_not_hash_to_the_expected_sha256_are_refused_and_leave_nothing_behind()
    {
        var bytes = RandomNumberGenerator.GetBytes(10_000);
        var named = Convert.ToHexStringLower(SHA256.HashData([1, 2, 3]));

        var error = await Assert.ThrowsAsync<ArtifactHashMismatchException>(
            () => _store.PutAsync(new MemoryStream(bytes), null, named, CancellationToken.None));

        Assert.Equal((named, Convert.ToHexStringLower(SHA256.HashData(bytes))), (error.ExpectedSha256, error.ActualSha256));
        Assert.Empty(StoredFiles());
        Assert.Empty(Directory.GetFiles(Path.Combine(_root, "tmp")));
    }

    [Fact]
    public async Task A_refused_put_never_touches_a_file_already_stored_under_the_bytes_hash()
    {
        var bytes = RandomNumberGenerator.GetBytes(1000);
        var stored = await _store.PutAsync(new MemoryStream(bytes));

        await Assert.ThrowsAsync<ArtifactHashMismatchException>(
            () => _store.PutAsync(new MemoryStream(bytes), null, new string('a', 64), CancellationToken.None));

        Assert.True(_store.Exists(stored.Sha256));
    }

    [Fact]
    public async Task The_expected_sha256_may_be_uppercase()
    {
        var bytes = RandomNumberGenerator.GetBytes(1000);

        var stored = await _store.PutAsync(new MemoryStream(bytes), null, Convert.ToHexString(SHA256.HashData(bytes)), CancellationToken.None);

        Assert.Equal((Convert.ToHexStringLower(SHA256.HashData(bytes)), true), (stored.Sha256, stored.Created));
    }

    [Fact]
    public async Task Exactly_the_limit_is_accepted()
    {
        var stored = await _store.PutAsync(new MemoryStream(new byte[1000]), maxBytes: 1000);

        Assert.True(_store.Exists(stored.Sha256));
    }

    [Fact]
    public async Task Delete_removes_a_stored_file_and_says_when_there_was_none()
    {
        var stored = await _store.PutAsync(new MemoryStream([1, 2, 3]));

        Assert.True(_store.Delete(stored.Sha256));
        Assert.False(_store.Exists(stored.Sha256));
        Assert.False(_store.Delete(stored.Sha256));
        Assert.Throws<FileNotFoundException>(() => _store.OpenRead(stored.Sha256));
    }

    [Fact]
    public void A_name_that_is_not_a_sha256_is_refused()
    {
        Assert.Throws<ArgumentException>(() => _store.PathOf("../../etc/passwd"));
    }

    private string[] StoredFiles() =>
        Directory.GetFiles(_root, "*", SearchOption.AllDirectories).Where(f => !f.StartsWith(Path.Combine(_root, "tmp"))).ToArray();
}
