using SlmOps.Modeling.Checkpoints;

namespace SlmOps.Modeling.Tests.Checkpoints;

public sealed class Sha256ManifestTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("manifest-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Manifest_lists_every_file_with_its_sha256_and_detects_changes()
    {
        File.WriteAllText(Path.Combine(_dir, "config.json"), "{}");
        Directory.CreateDirectory(Path.Combine(_dir, "sub"));
        File.WriteAllText(Path.Combine(_dir, "sub", "w.bin"), "abc");

        var m = Sha256Manifest.Write(_dir);
        Assert.Equal(["config.json", "sub/w.bin"], m.Files.Keys.Order(StringComparer.Ordinal));
        // sha256("abc") is a published test vector.
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", m.Files["sub/w.bin"]);
        Sha256Manifest.Verify(_dir);

        File.WriteAllText(Path.Combine(_dir, "sub", "w.bin"), "abd");
        var ex = Assert.Throws<InvalidDataException>(() => Sha256Manifest.Verify(_dir));
        Assert.Contains("sub/w.bin", ex.Message);

        File.Delete(Path.Combine(_dir, "config.json"));
        Assert.Throws<InvalidDataException>(() => Sha256Manifest.Verify(_dir));
    }
}
