using System.Text;
using SlmOps.Modeling.Tokenizers;

namespace SlmOps.Modeling.Tests.Tokenizers;

public class CharPairTokenizerTests
{
    [Fact]
    public void Vocabulary_is_the_sorted_set_of_pairs_seen()
    {
        var tok = CharPairTokenizer.Train(["abcab", "ab c"]);
        // "abcab" -> ab, ca, b ; "ab c" -> ab, " c"
        Assert.Equal([" c", "ab", "b", "ca"], tok.Tokens);
        Assert.Equal(5, tok.VocabSize);
        Assert.Equal(4, tok.UnknownId);
    }

    [Fact]
    public void Encode_then_decode_returns_the_cleaned_text()
    {
        var tok = CharPairTokenizer.Train(Corpus.Sentences);
        foreach (var s in Corpus.Sentences)
        {
            var ids = tok.Encode(s);
            Assert.Equal((tok.Clean(s).Length + 1) / 2, ids.Length);
            Assert.DoesNotContain(tok.UnknownId, ids);
            Assert.Equal(tok.Clean(s), tok.Decode(ids));
        }
    }

    [Fact]
    public void Unseen_pairs_map_to_unknown_and_decode_to_a_placeholder()
    {
        var tok = CharPairTokenizer.Train(["aabb"]);
        var ids = tok.Encode("aazzbb");
        Assert.Equal([tok.Tokens.ToList().IndexOf("aa"), tok.UnknownId, tok.Tokens.ToList().IndexOf("bb")], ids);
        Assert.Equal("aa" + CharPairTokenizer.UnknownText + "bb", tok.Decode(ids));
        Assert.Throws<ArgumentOutOfRangeException>(() => tok.Decode([tok.VocabSize]));
    }

    [Fact]
    public void Hash_depends_only_on_vocabulary_and_options()
    {
        var a = CharPairTokenizer.Train(Corpus.Sentences);
        var b = CharPairTokenizer.Train(Corpus.Sentences.Reverse());
        Assert.Equal(a.Hash, b.Hash);
        Assert.Equal(64, a.Hash.Length);
        var differentOptions = CharPairTokenizer.Train(Corpus.Sentences, CleaningOptions.Default with { Lowercase = false });
        Assert.NotEqual(a.Hash, differentOptions.Hash);
        var differentCorpus = CharPairTokenizer.Train(Corpus.Sentences.Append("zzqq"));
        Assert.NotEqual(a.Hash, differentCorpus.Hash);
    }

    [Fact]
    public void Artifact_round_trips_through_a_file_with_the_same_hash()
    {
        var tok = CharPairTokenizer.Train(Corpus.Sentences, CleaningOptions.Default with { RemoveParentheses = false });
        var path = Path.Combine(Path.GetTempPath(), $"cp-{Guid.NewGuid():N}.json");
        try
        {
            TokenizerArtifact.Save(tok, path);
            var loaded = Assert.IsType<CharPairTokenizer>(TokenizerArtifact.Load(path));
            Assert.Equal(tok.Hash, loaded.Hash);
            Assert.Equal(tok.Tokens, loaded.Tokens);
            Assert.False(loaded.Cleaning.RemoveParentheses);
            Assert.Equal(tok.Encode(Corpus.Sentences[3]), loaded.Encode(Corpus.Sentences[3]));
            Assert.Equal(Encoding.UTF8.GetString(tok.ToCanonicalJson()), File.ReadAllText(path));
        }
        finally { File.Delete(path); }
    }
}
