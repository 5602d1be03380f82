using SlmOps.Modeling.Tokenizers;

namespace SlmOps.Modeling.Tests.Tokenizers;

public class ByteBpeTokenizerTests
{
    private static readonly Lazy<ByteBpeTokenizer> Trained = new(() => ByteBpeTokenizer.Train(Corpus.Repeated(4), vocabSize: 400));

    [Fact]
    public void Training_reaches_the_target_vocabulary_and_compresses_the_corpus()
    {
        var tok = Trained.Value;
        Assert.Equal(400, tok.VocabSize);
        var text = string.Join("\n", Corpus.Sentences);
        var bytes = System.Text.Encoding.UTF8.GetByteCount(text);
        var ids = tok.Encode(text);
        // 144 merges on this corpus give about 2.8 bytes per token; raw bytes would be 1.
        Assert.True(ids.Length * 5 < bytes * 2, $"{ids.Length} tokens for {bytes} bytes is under 2.5x compression");
    }

    [Theory]
    [InlineData("")]
    [InlineData("The quick brown fox")]
    [InlineData("  leading and trailing spaces  \n\n\ttabs")]
    [InlineData("caf\u00e9 \u4e2d\u6587 \U0001F600 emoji, digits 12345 and symbols <>[]{}!?")]
    [InlineData("it's they'll WE'VE I'd")]
    public void Any_string_round_trips_exactly(string text)
    {
        var tok = Trained.Value;
        Assert.Equal(text, tok.Decode(tok.Encode(text)));
    }

    [Fact]
    public void Empty_merge_list_is_plain_utf8_bytes()
    {
        var tok = new ByteBpeTokenizer([]);
        Assert.Equal([0xC3, 0xA9, (int)'a'], tok.Encode("\u00e9a"));
    }

    [Fact]
    public void Training_is_deterministic_and_the_hash_follows_the_merges()
    {
        var again = ByteBpeTokenizer.Train(Corpus.Repeated(4), vocabSize: 400);
        Assert.Equal(Trained.Value.Merges, again.Merges);
        Assert.Equal(Trained.Value.Hash, again.Hash);
        var smaller = ByteBpeTokenizer.Train(Corpus.Repeated(4), vocabSize: 300);
        Assert.NotEqual(Trained.Value.Hash, smaller.Hash);
        // The smaller vocabulary is a prefix of the larger one's merges.
        Assert.Equal(smaller.Merges, Trained.Value.Merges.Take(44));
    }

    [Fact]
    public void First_merge_is_the_most_frequent_pair_with_ties_broken_by_smallest_ids()
    {
        // Commas split chunks, so ('a','b') and ('c','d') both occur 3 times and tie; (97,98) < (99,100).
        var tok = ByteBpeTokenizer.Train(["ab,cd,ab,cd,ab,cd"], vocabSize: 257);
        Assert.Single(tok.Merges);
        Assert.Equal(((int)'a', (int)'b'), tok.Merges[0]);
    }

    [Fact]
    public void Artifact_round_trips_with_the_same_hash_and_encoding()
    {
        var tok = Trained.Value;
        var loaded = Assert.IsType<ByteBpeTokenizer>(TokenizerArtifact.FromJson(tok.ToCanonicalJson()));
        Assert.Equal(tok.Hash, loaded.Hash);
        Assert.Equal(tok.Encode(Corpus.Sentences[5]), loaded.Encode(Corpus.Sentences[5]));
    }
}
