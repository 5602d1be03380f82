using SlmOps.Contracts;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using SlmOps.Modeling.Architectures;
using SlmOps.Modeling.Checkpoints;
using SlmOps.Modeling.Coupling;
using SlmOps.Modeling.Models;
using SlmOps.Modeling.Tokenizers;
using SlmOps.Torch;

namespace SlmOps.Modeling.Tests.Checkpoints;

/// <summary>
/// Models built for loading skip every random init, and what they hold after the load is bit for bit what a normally
/// constructed model holds after loading the same file.
/// </summary>
public sealed class NoInitLoadTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("noinit-").FullName;
    private static readonly CharPairTokenizer Tokenizer = CharPairTokenizer.Train(Corpus.Sentences);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ModelConfig Config(string arch) =>
        arch == "fft" ? ModelPresets.TinyFft(Tokenizer.VocabSize, 16) : ModelPresets.TinyGpt(Tokenizer.VocabSize, 16);

    private static void AssertSameValues(torch.nn.Module expected, torch.nn.Module actual)
    {
        var want = expected.state_dict();
        var got = actual.state_dict();
        Assert.Equal(want.Keys, got.Keys);
        foreach (var (key, tensor) in want)
        {
            Assert.Equal(tensor.shape, got[key].shape);
            Assert.True(tensor.ToArray<float>().AsSpan().SequenceEqual(got[key].ToArray<float>()), $"{key} differs");
        }
    }

    [Theory]
    [InlineData("fft")]
    [InlineData("gpt")]
    public void A_model_built_for_loading_draws_nothing_from_the_generator(string arch)
    {
        torch.manual_seed(3);
        using (var untouched = torch.rand([4])) { }
        torch.manual_seed(3);
        using (ModelFactory.CreateForLoading(Config(arch))) { }
        using var after = torch.rand([4]);
        torch.manual_seed(3);
        using var expected = torch.rand([4]);

        Assert.Equal(expected.ToArray<float>(), after.ToArray<float>());
    }

    [Theory]
    [InlineData("fft")]
    [InlineData("gpt")]
    public void A_language_model_loads_the_same_bits_as_a_normally_constructed_one(string arch)
    {
        torch.manual_seed(21);
        using var original = ModelFactory.Create(Config(arch));
        ModelCheckpoint.SaveLanguageModel(_dir, original, Tokenizer);

        var (fast, _) = ModelCheckpoint.LoadLanguageModel(_dir);
        using (fast)
        using (var normal = ModelFactory.Create(Config(arch)))
        {
            normal.load(Path.Combine(_dir, ModelCheckpoint.WeightsFile));
            AssertSameValues(original, fast);
            AssertSameValues(normal, fast);
            Assert.Equal(WeightsHash.Of(original), WeightsHash.Of(fast));
        }
    }

    [Theory]
    [InlineData(CouplingMode.Hidden)]
    [InlineData(CouplingMode.Tokens)]
    public void A_follower_and_its_coupling_layers_load_the_same_bits_without_drawing(CouplingMode mode)
    {
        torch.manual_seed(22);
        using var llm = new FrozenLlm(ModelFactory.Create(Config("fft")));
        using var original = new SlmFollower(ModelFactory.Create(Config("gpt")), new CouplingOptions { Mode = mode }, llm.Model.Config.Width);
        ModelCheckpoint.SaveFollower(_dir, original, Tokenizer, llm);

        torch.manual_seed(9);
        using var loaded = ModelCheckpoint.LoadFollower(_dir, llm, Tokenizer.Hash);
        using var next = torch.rand([4]);
        torch.manual_seed(9);
        using var expected = torch.rand([4]);

        AssertSameValues(original, loaded);
        Assert.Equal(expected.ToArray<float>(), next.ToArray<float>());
    }

    [Fact]
    public void The_weights_hash_is_the_documented_per_value_digest()
    {
        torch.manual_seed(23);
        using var model = ModelFactory.Create(Config("gpt"));

        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, tensor) in model.state_dict().OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            sha.AppendData(Encoding.UTF8.GetBytes(name));
            foreach (var d in tensor.shape)
            {
                var dim = new byte[8];
                BinaryPrimitives.WriteInt64LittleEndian(dim, d);
                sha.AppendData(dim);
            }
            foreach (var v in tensor.ToArray<float>())
            {
                var value = new byte[4];
                BinaryPrimitives.WriteSingleLittleEndian(value, v);
                sha.AppendData(value);
            }
        }

        Assert.Equal(Convert.ToHexStringLower(sha.GetHashAndReset()), WeightsHash.Of(model));
    }
}
