namespace SlmOps.Benchmarks.Serving;

/// <summary>Command line: --threads N --reps N --tokens N --work DIR --keep --sections swap,decode,batch,throughput,prefix.</summary>
internal sealed record BenchOptions(int Threads, int Reps, int Tokens, string WorkDir, bool Keep, IReadOnlySet<string> Sections)
{
    public const string AllSections = "swap,decode,batch,throughput,prefix";

    public bool Runs(string section) => Sections.Contains(section);

    public static BenchOptions Parse(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        return new BenchOptions(
            int.Parse(Value("--threads") ?? Environment.ProcessorCount.ToString()),
            int.Parse(Value("--reps") ?? "5"),
            int.Parse(Value("--tokens") ?? "64"),
            Value("--work") ?? Path.Combine(Path.GetTempPath(), $"slmops-bench-serving-{Environment.ProcessId}"),
            args.Contains("--keep"),
            (Value("--sections") ?? AllSections).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet());
    }
}
