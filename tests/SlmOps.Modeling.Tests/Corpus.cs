namespace SlmOps.Modeling.Tests;

/// <summary>A small English corpus for tokenizer and data tests.</summary>
internal static class Corpus
{
    public static readonly string[] Sentences =
    [
        "The quick brown fox jumps over the lazy dog.",
        "A language model predicts the next token from the tokens before it.",
        "Small models can follow a large frozen model and adapt it to a task.",
        "The frozen model is shared by every team, and each team trains its own small model.",
        "Training data is cut into blocks; the target is the block shifted by one position.",
        "It is not hard to see why the small model learns quickly: the large model already knows the language.",
        "We measure the validation loss, the perplexity, the memory and the time of every step.",
        "There is a model registry where teams promote a version to production or roll it back.",
    ];

    public static IEnumerable<string> Repeated(int times) =>
        Enumerable.Range(0, times).SelectMany(_ => Sentences);
}
