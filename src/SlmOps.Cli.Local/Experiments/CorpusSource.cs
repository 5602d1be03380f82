using SlmOps.Modeling.Data;

namespace SlmOps.Cli.Local.Experiments;

/// <summary>The base and task texts: two files from the command line, or the built-in two-domain generator.</summary>
public static class CorpusSource
{
    public static (string Base, string Task, string Description) Load(CompareOptions o)
    {
        if (o.BaseCorpus is null && o.TaskCorpus is null)
        {
            var chars = o.GeneratedCharacters ?? (o.Quick ? 20_000 : 200_000);
            return (TwoDomainCorpus.Base(chars, o.Seed), TwoDomainCorpus.Task(chars, o.Seed), $"built-in two-domain generator ({chars:N0} characters per domain, seed {o.Seed})");
        }
        if (o.BaseCorpus is null || o.TaskCorpus is null)
            throw new ArgumentException("Give both --base and --task corpus files, or neither to use the built-in two-domain generator.");
        return (Read(o.BaseCorpus), Read(o.TaskCorpus), $"base '{o.BaseCorpus}', task '{o.TaskCorpus}'");
    }

    private static string Read(string path) =>
        File.Exists(path) ? File.ReadAllText(path) : throw new FileNotFoundException($"Corpus file '{path}' does not exist.", path);
}
