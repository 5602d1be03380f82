using SlmOps.Modeling.Architectures;
using SlmOps.Modeling.Checkpoints;
using SlmOps.Modeling.Models;
using SlmOps.Modeling.Tokenizers;
using SlmOps.Torch;

namespace SlmOps.Modeling.Tests.Checkpoints;

/// <summary>The load path reads model.safetensors once, hashes those bytes, and loads exactly them.</summary>
public sealed class SingleReadLoadTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("singleread-").FullName;
    private static readonly CharPairTokenizer Tokenizer = CharPairTokenizer.Train(Corpus.Sentences);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private Sha256Manifest Save(int seed)
    {
        torch.manual_seed(seed);
        using var model = new FftLanguageModel(ModelPresets.TinyFft(Tokenizer.VocabSize, 16));
        return ModelCheckpoint.SaveLanguageModel(_dir, model, Tokenizer);
    }

    private string Weights => Path.Combine(_dir, ModelCheckpoint.WeightsFile);

    private void FlipLastByte()
    {
        var bytes = File.ReadAllBytes(Weights);
        bytes[^1] ^= 0x55;
        File.WriteAllBytes(Weights, bytes);
    }

    [Fact]
    public void Weights_changed_after_the_manifest_was_written_are_refused()
    {
        Save(seed: 1);
        FlipLastByte();

        var ex = Assert.Throws<InvalidDataException>(() => ModelCheckpoint.LoadLanguageModel(_dir));
        Assert.Contains("the manifest records", ex.Message);
        Assert.Contains(Sha256Manifest.HashFile(Weights), ex.Message);
    }

    [Fact]
    public void The_registered_hash_is_checked_first_and_reported_through_the_callers_error()
    {
        var registered = Save(seed: 2).Files[ModelCheckpoint.WeightsFile];
        FlipLastByte();
        var actual = Sha256Manifest.HashFile(Weights);

        var ex = Assert.Throws<TimeoutException>(() => ModelCheckpoint.LoadLanguageModel(_dir, registered, null,
            (path, sha) => new TimeoutException($"{path}|{sha}")));
        Assert.Equal($"{Weights}|{actual}", ex.Message);
    }

    [Fact]
    public void Tensors_larger_than_a_chunk_load_bit_for_bit_and_the_returned_hash_is_the_files()
    {
        torch.manual_seed(6);
        using var saved = torch.nn.Linear(700, 500); // 1.4 MB of weights: spans two chunks
        var path = Path.Combine(_dir, "linear.safetensors");
        saved.save(path);
        Assert.True(700 * 500 * sizeof(float) > SafetensorsStream.ChunkBytes);
        using var loaded = torch.nn.Linear(700, 500);

        var sha = SafetensorsStream.LoadInto(loaded, path);

        Assert.Equal(Sha256Manifest.HashFile(path), sha);
        Assert.Equal(saved.weight.ToArray<float>(), loaded.weight.ToArray<float>());
        Assert.Equal(saved.bias!.ToArray<float>(), loaded.bias!.ToArray<float>());
    }

    [Fact]
    public void A_truncated_file_is_refused_naming_it()
    {
        Save(seed: 7);
        var bytes = File.ReadAllBytes(Weights);
        File.WriteAllBytes(Weights, bytes[..^16]);
        torch.manual_seed(8);
        using var model = new FftLanguageModel(ModelPresets.TinyFft(Tokenizer.VocabSize, 16));

        var ex = Assert.ThrowsAny<Exception>(() => SafetensorsStream.LoadInto(model, Weights));

        Assert.Contains("truncated", ex.Message);
    }

    [Fact]
    public void A_file_of_another_shape_is_refused_and_leaves_the_module_unchanged()
    {
        Save(seed: 3);
        torch.manual_seed(4);
        using var wider = new FftLanguageModel(ModelPresets.TinyFft(Tokenizer.VocabSize, 12));
        var before = WeightsHash.Of(wider);

        var ex = Assert.Throws<InvalidDataException>(() => SafetensorsStream.LoadInto(wider, Weights));
        Assert.Contains("size mismatch for pos.weight", ex.Message);
        Assert.Equal(before, WeightsHash.Of(wider));
    }

    [Fact]
    public void Each_phase_of_a_load_is_timed_when_asked()
    {
        Save(seed: 5);
        var timings = new CheckpointLoadTimings();
        var (model, _) = ModelCheckpoint.LoadLanguageModel(_dir, timings: timings);
        model.Dispose();

        Assert.All(new[] { timings.VerifyFilesMs, timings.ConstructMs, timings.WeightsMs }, ms => Assert.True(ms > 0));
    }
}
