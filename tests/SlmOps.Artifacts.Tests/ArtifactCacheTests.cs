namespace SlmOps.Artifacts.Tests;

public sealed class ArtifactCacheTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"slmops-cache-test-{Guid.NewGuid():N}");
    private readonly MemoryBlobSource _source = new();

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private ArtifactCache Cache(long maxBytes = 1 << 20) => new(_source, _root, maxBytes);

    [Fact]
    public async Task A_blob_is_fetched_once_and_served_from_the_cache_after()
    {
        var sha = _source.Add("hello blob");
        var cache = Cache();

        using (var first = await cache.FileAsync(sha, CancellationToken.None))
            Assert.Equal("hello blob", await File.ReadAllTextAsync(first.Path));
        using (var second = await cache.FileAsync(sha, CancellationToken.None))
            Assert.Equal("hello blob", await File.ReadAllTextAsync(second.Path));

        Assert.Equal(1, _source.Fetches[sha]);
    }

    [Fact]
    public async Task A_cached_file_damaged_on_disk_is_detected_by_a_new_process_and_fetched_again()
    {
        var sha = _source.Add("the right bytes");
        string path;
        using (var lease = await Cache().FileAsync(sha, CancellationToken.None)) path = lease.Path;
        await File.WriteAllTextAsync(path, "the wrong bytes");

        using var again = await Cache().FileAsync(sha, CancellationToken.None); // a new cache object: as after a restart

        Assert.Equal("the right bytes", await File.ReadAllTextAsync(again.Path));
        Assert.Equal(2, _source.Fetches[sha]);
    }

    [Fact]
    public async Task A_file_changed_after_this_process_verified_it_is_fetched_again()
    {
        var sha = _source.Add("original content");
        var cache = Cache();
        string path;
        using (var lease = await cache.FileAsync(sha, CancellationToken.None)) path = lease.Path;
        await File.WriteAllTextAsync(path, "tampered content!");

        using var again = await cache.FileAsync(sha, CancellationToken.None);

        Assert.Equal("original content", await File.ReadAllTextAsync(again.Path));
    }

    [Fact]
    public async Task A_folder_is_laid_out_with_its_manifest_and_a_damaged_file_in_it_is_fetched_again()
    {
        var (manifest, files) = _source.AddFolder(new Dictionary<string, string> { ["model.safetensors"] = "weights", ["sub/tokenizer.json"] = "{}" });
        string folder;
        using (var lease = await Cache().FolderAsync(manifest, CancellationToken.None)) folder = lease.Path;
        Assert.Equal("weights", await File.ReadAllTextAsync(Path.Combine(folder, "model.safetensors")));
        Assert.Equal("{}", await File.ReadAllTextAsync(Path.Combine(folder, "sub", "tokenizer.json")));
        Assert.True(File.Exists(Path.Combine(folder, FolderManifest.FileName)));

        await File.WriteAllTextAsync(Path.Combine(folder, "model.safetensors"), "garbage");
        using var again = await Cache().FolderAsync(manifest, CancellationToken.None);

        Assert.Equal("weights", await File.ReadAllTextAsync(Path.Combine(again.Path, "model.safetensors")));
        Assert.Equal(2, _source.Fetches[files["model.safetensors"]]);
    }

    [Fact]
    public async Task A_blob_that_arrives_damaged_is_not_cached()
    {
        var sha = _source.Add("good");
        _source.Corrupt.Add(sha);
        var cache = Cache();

        await Assert.ThrowsAsync<InvalidDataException>(() => cache.FileAsync(sha, CancellationToken.None));
        _source.Corrupt.Clear();
        using var lease = await cache.FileAsync(sha, CancellationToken.None);

        Assert.Equal("good", await File.ReadAllTextAsync(lease.Path));
    }

    [Fact]
    public async Task Over_its_bound_the_least_recently_used_entries_go_first_but_never_one_that_is_held()
    {
        var blobs = Enumerable.Range(0, 4).Select(i => _source.Add(new string((char)('a' + i), 100))).ToList();
        var cache = Cache(maxBytes: 250); // room for two 100-byte blobs
        var held = await cache.FileAsync(blobs[0], CancellationToken.None);
        (await cache.FileAsync(blobs[1], CancellationToken.None)).Dispose();
        (await cache.FileAsync(blobs[2], CancellationToken.None)).Dispose();
        (await cache.FileAsync(blobs[3], CancellationToken.None)).Dispose();

        Assert.True(File.Exists(held.Path), "a held entry was evicted");
        Assert.True(cache.SizeBytes <= 250, $"cache holds {cache.SizeBytes} bytes");
        held.Dispose();
        cache.EvictOverLimit();
        Assert.True(cache.SizeBytes <= 250);
    }

    [Theory]
    [InlineData("../escape.bin")]
    [InlineData("/etc/passwd")]
    [InlineData("a//b")]
    public async Task A_manifest_naming_a_path_outside_its_folder_is_refused(string relative)
    {
        var manifest = _source.Add(System.Text.Json.JsonSerializer.Serialize(new { files = new Dictionary<string, string> { [relative] = new string('a', 64) } }));

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => Cache().FolderAsync(manifest, CancellationToken.None));

        Assert.Contains("leaves its folder", error.Message);
        Assert.False(File.Exists(Path.Combine(_root, "escape.bin")));
    }

    [Fact]
    public async Task A_bad_address_is_refused_before_any_fetch()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Cache().FileAsync("../../etc/passwd", CancellationToken.None));
        Assert.Empty(_source.Fetches);
    }
}
