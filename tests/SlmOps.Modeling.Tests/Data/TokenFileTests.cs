using SlmOps.Modeling.Data;
using SlmOps.Modeling.Tokenizers;

namespace SlmOps.Modeling.Tests.Data;

public sealed class TokenFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tokfile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Encoded_corpus_reads_back_with_its_tokenizer_hash()
    {
        var tok = CharPairTokenizer.Train(Corpus.Sentences);
        var path = Path.Combine(_dir, "train.bin");
        var info = TokenFile.Write(path, tok, Corpus.Sentences);

        var expected = Corpus.Sentences.SelectMany(tok.Encode).ToArray();
        Assert.Equal(expected.Length, info.Count);
        Assert.Equal(TokenDType.UInt16, info.DType);
        Assert.Equal(expected.Length * 2, new FileInfo(path).Length);
        Assert.Equal(tok.Hash, TokenFile.ReadInfo(path).TokenizerHash);
        Assert.Equal(expected, TokenFile.Read(path, tok.Hash));
    }

    [Fact]
    public void Large_vocabularies_use_int32_little_endian()
    {
        var path = Path.Combine(_dir, "wide.bin");
        TokenFile.Write(path, [1, 70_000, 2], "h", vocabSize: 100_000);
        Assert.Equal(TokenDType.Int32, TokenFile.ReadInfo(path).DType);
        Assert.Equal([1, 0, 0, 0, 0x70, 0x11, 0x01, 0x00, 2, 0, 0, 0], File.ReadAllBytes(path));
        Assert.Equal([1, 70_000, 2], TokenFile.Read(path));
    }

    [Fact]
    public void Reading_with_another_tokenizer_or_corrupted_data_fails()
    {
        var path = Path.Combine(_dir, "c.bin");
        TokenFile.Write(path, [1, 2, 3, 4], "hash-a", vocabSize: 10);
        Assert.Throws<InvalidDataException>(() => TokenFile.Read(path, "hash-b"));
        var bytes = File.ReadAllBytes(path);
        bytes[0] ^= 1;
        File.WriteAllBytes(path, bytes);
        var ex = Assert.Throws<InvalidDataException>(() => TokenFile.Read(path));
        Assert.Contains("sha256", ex.Message);
    }

    [Fact]
    public void Ids_outside_the_vocabulary_are_rejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenFile.Write(Path.Combine(_dir, "x.bin"), [0, 10], "h", vocabSize: 10));
}
