using SlmOps.Modeling.Tokenizers;

namespace SlmOps.Modeling.Tests.Tokenizers;

public class TextCleanerTests
{
    private static string Clean(string s) => TextCleaner.Clean(s, CleaningOptions.Default);

    [Theory]
    [InlineData("See https://example.com/a?b=1 now", "see now")]
    [InlineData("Visit www.example.org today", "visit today")]
    [InlineData("<p>Hello <b>world</b></p>", "hello world")]
    [InlineData("Paris is big [1]. Really [citation needed].", "paris is big. really.")]
    [InlineData("The cat (see figure) sat.", "the cat sat.")]
    [InlineData("In 1999 there were 42 cats", "in there were cats")]
    [InlineData("Caf\u00e9 na\u00efve \u201cquoted\u201d \u2014 ok\u2026", "cafe naive \"quoted\" - ok...")]
    [InlineData("emoji \U0001F600 and \u4e2d\u6587 gone", "emoji and gone")]
    [InlineData("  lots\tof \n\n whitespace  ", "lots of whitespace")]
    [InlineData("Tom &amp; Jerry", "tom & jerry")]
    public void Applies_each_cleaning_rule(string input, string expected) =>
        Assert.Equal(expected, Clean(input));

    [Theory]
    [InlineData("I don't know", "i do not know")]
    [InlineData("I'm sure you're right", "i am sure you are right")]
    [InlineData("We won't and can't", "we will not and cannot")]
    [InlineData("They've said we'll see; he'd go", "they have said we will see; he would go")]
    [InlineData("It's fine, let's go, that\u2019s it", "it is fine, let us go, that is it")]
    [InlineData("The dog's bone", "the dog's bone")]
    public void Expands_contractions_but_keeps_possessives(string input, string expected) =>
        Assert.Equal(expected, Clean(input));

    [Fact]
    public void Case_is_preserved_when_configured()
    {
        var options = CleaningOptions.Default with { Lowercase = false };
        Assert.Equal("Hello World, I am Bob and I do not care", TextCleaner.Clean("Hello World, I'm Bob and I don't care", options));
        Assert.Equal("DO NOT", TextCleaner.Clean("DON'T", options));
    }

    [Fact]
    public void Rules_can_be_switched_off()
    {
        var options = new CleaningOptions { RemoveDigits = false, RemoveParentheses = false, Lowercase = false };
        Assert.Equal("Route (A) has 66 stops", TextCleaner.Clean("Route (A) has 66 stops", options));
    }

    [Fact]
    public void Output_is_printable_ascii_only()
    {
        var cleaned = Clean("\u00c5ngstr\u00f6m \u0001 bell\u0007 \u00a9 2024 \u2603 x");
        Assert.All(cleaned, c => Assert.InRange(c, ' ', '~'));
        Assert.Equal("angstrom bell x", cleaned);
    }
}
