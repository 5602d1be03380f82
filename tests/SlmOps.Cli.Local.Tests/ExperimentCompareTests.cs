using SlmOps.Modeling.Evaluation;
using SlmOps.Modeling.Tokenizers;

namespace SlmOps.Cli.Local.Tests;

[Collection("libtorch")] // libtorch's generator is process-global: one training at a time
public class ExperimentCompareTests
{
    private static string TempDir() => Directory.CreateTempSubdirectory("slmops-cli-").FullName;

    [Fact]
    public void Quick_compare_on_the_built_in_data_writes_markdown_csv_and_svg_with_every_method()
    {
        var dir = TempDir();
        var (code, output) = CliHarness.Run("experiment", "compare", "--quick", "--out", dir);
        Assert.True(code == 0, output);

        var markdown = File.ReadAllText(Path.Combine(dir, "comparison.md"));
        Assert.Contains("| gap closed |", markdown);
        foreach (var method in MethodComparison.AllMethods) Assert.Contains($"| {method} |", markdown);
        Assert.Contains("unchanged", markdown); // the LLM's weights hash before and after

        var csv = File.ReadAllLines(Path.Combine(dir, "comparison.csv"));
        var gapColumn = Array.IndexOf(csv[0].Split(','), "gap_closed");
        Assert.True(gapColumn > 0, csv[0]);
        Assert.Equal(MethodComparison.AllMethods, csv.Skip(1).Select(l => l.Split(',')[0]));
        Assert.Equal("1", csv.Single(l => l.StartsWith("full-finetune,", StringComparison.Ordinal)).Split(',')[gapColumn]);
        Assert.Equal("0", csv.Single(l => l.StartsWith("llm-alone,", StringComparison.Ordinal)).Split(',')[gapColumn]);
        foreach (var method in MethodComparison.AllMethods) Assert.Contains($"serving {method}: ", markdown);
        Assert.Contains("slm-tokens task loss by how the LLM's tokens are read: argmax", markdown);
        Assert.Contains("<svg", File.ReadAllText(Path.Combine(dir, "comparison.svg")));

        var report = MethodComparisonReport.FromJson(File.ReadAllText(Path.Combine(dir, "comparison.json")));
        var llm = report.Methods.Single(m => m.Method == "llm-alone");
        var tokens = report.Methods.Single(m => m.Method == "slm-tokens");
        Assert.True(tokens.TaskValLoss < llm.TaskValLoss, $"slm-tokens {tokens.TaskValLoss} vs llm-alone {llm.TaskValLoss}");
        Assert.Equal(llm.BaseValLossUnplugged, tokens.BaseValLossUnplugged); // unplugged is exactly the LLM alone
        Assert.All(report.Methods.Where(m => m.Method != "llm-alone"), m => Assert.NotNull(m.PeakMemoryBytes));
    }

    [Fact]
    public void Seeds_report_the_mean_and_the_spread_and_the_chart_draws_it()
    {
        var dir = TempDir();
        var (code, output) = CliHarness.Run("experiment", "compare", "--quick", "--out", dir, "--seeds", "2", "--steps", "6", "--methods", "llm-alone", "adapter", "full-finetune");
        Assert.True(code == 0, output);
        var report = MethodComparisonReport.FromJson(File.ReadAllText(Path.Combine(dir, "comparison.json")));
        Assert.Equal(2, report.Seeds);
        var adapter = report.Methods.Single(m => m.Method == "adapter");
        Assert.Equal(2, adapter.TaskValLossPerSeed!.Count);
        Assert.Contains("mean of 2 seeds", File.ReadAllText(Path.Combine(dir, "comparison.md")));
        Assert.Contains("class=\"spread\"", File.ReadAllText(Path.Combine(dir, "comparison.svg")));
    }

    [Theory]
    [InlineData("--slm-block 64", "cannot exceed the LLM's window of 32")]
    [InlineData("--init Inherit --inherit-k 5", "k=5 is larger than the LLM's depth of 2 blocks")]
    [InlineData("--init Inherit --inherit-k 1 --slm-width 24", "widths must match: SLM width 24, LLM width 32")]
    [InlineData("--lr 0", "The learning rate must be positive, got 0")]
    [InlineData("--slm-width -3", "The SLM width must be positive, got -3")]
    [InlineData("--batch 0", "The batch size must be positive, got 0")]
    [InlineData("--temperature 0", "temperature, which must be positive, got 0")]
    [InlineData("--steps -5", "The training steps must be positive, got -5")]
    [InlineData("--seeds 0", "The number of seeds must be at least 1, got 0")]
    [InlineData("--eval-draws 0", "K must be at least 1, got 0")]
    [InlineData("--prefix-length 32", "leaves no room in the model's window of 32")]
    [InlineData("--plugin-r 64", "residual width 32/64 = 0")]
    [InlineData("--adapter-bottleneck 40", "between 1 and the model's width 32, got 40")]
    [InlineData("--llm-preset tiny-gpt --methods plugin-peft", "fft architecture only")]
    public void Configs_that_cannot_work_are_refused_before_training(string extra, string message)
    {
        var dir = TempDir();
        var (code, output) = CliHarness.Run(["experiment", "compare", "--quick", "--out", dir, .. extra.Split(' ')]);
        Assert.NotEqual(0, code);
        Assert.Contains(message, output);
        Assert.DoesNotContain("pretrain LLM", output); // refused before any training started
        Assert.False(File.Exists(Path.Combine(dir, "comparison.md")));
    }

    [Fact]
    public void A_too_short_corpus_is_refused_with_its_size_and_the_minimum()
    {
        var dir = TempDir();
        var baseFile = Path.Combine(dir, "base.txt");
        var taskFile = Path.Combine(dir, "task.txt");
        File.WriteAllText(baseFile, string.Concat(Enumerable.Repeat("the quick brown fox jumps over the lazy dog. ", 200)));
        File.WriteAllText(taskFile, "tiny");
        var (code, output) = CliHarness.Run("experiment", "compare", "--quick", "--out", dir, "--base", baseFile, "--task", taskFile);
        Assert.NotEqual(0, code);
        Assert.Contains("tokens; at least 29 are needed (one block of 28", output); // the default methods include a prefix of 4 in the window of 32
        Assert.Contains("The task training corpus holds 2 tokens", output);
    }

    [Fact]
    public void An_slm_tokenizer_that_differs_from_the_llms_is_refused_naming_both_hashes()
    {
        var dir = TempDir();
        var other = CharPairTokenizer.Train(["an entirely different text with other pairs"]);
        var path = Path.Combine(dir, "slm-tokenizer.json");
        TokenizerArtifact.Save(other, path);
        var (code, output) = CliHarness.Run("experiment", "compare", "--quick", "--out", dir, "--slm-tokenizer", path);
        Assert.NotEqual(0, code);
        Assert.Contains($"sha256 {other.Hash}", output);
        Assert.Contains("differs from the LLM's (sha256 ", output);
    }
}
