namespace SlmOps.Modeling.Data;

/// <summary>
/// A built-in pair of text domains with different statistics, deterministic for a seed (seeded System.Random keeps its legacy, stable sequence): a "base" domain
/// of plain narrative sentences and a "task" domain of terse technical log lines with their own
/// vocabulary, word order and punctuation. Used when no corpus files are given.
/// </summary>
public static class TwoDomainCorpus
{
    private static readonly string[] BaseSubjects = ["the farmer", "a young girl", "the old man", "my brother", "the teacher", "a small dog", "the king", "her mother"];
    private static readonly string[] BaseVerbs = ["walked to", "looked at", "talked about", "remembered", "carried", "painted", "found", "followed"];
    private static readonly string[] BaseObjects = ["the river", "a quiet village", "the green hills", "an old house", "the market", "a long road", "the garden", "the winter sky"];
    private static readonly string[] BaseEndings = ["and smiled.", "before dinner.", "in the morning.", "with great care.", "without a word.", "for a while."];

    private static readonly string[] TaskLevels = ["INFO", "WARN", "ERROR", "DEBUG"];
    private static readonly string[] TaskServices = ["db", "cache", "queue", "auth", "api", "disk"];
    private static readonly string[] TaskEvents = ["connection reset", "timeout after", "retry scheduled in", "latency p99 =", "queue depth =", "checksum mismatch at"];
    private static readonly string[] TaskUnits = ["ms", "s", "kb", "ops", "%"];

    /// <summary>About <paramref name="characters"/> characters of the base domain.</summary>
    public static string Base(int characters, long seed) => Generate(characters, new Random(unchecked((int)seed)), BaseSentence);

    /// <summary>About <paramref name="characters"/> characters of the task domain.</summary>
    public static string Task(int characters, long seed) => Generate(characters, new Random(unchecked((int)seed) ^ 0x5DEECE6), TaskLine);

    private static string Generate(int characters, Random rng, Func<Random, string> unit)
    {
        var sb = new System.Text.StringBuilder(characters + 128);
        while (sb.Length < characters) sb.Append(unit(rng)).Append(' ');
        return sb.ToString();
    }

    private static string BaseSentence(Random r) =>
        $"{Pick(r, BaseSubjects)} {Pick(r, BaseVerbs)} {Pick(r, BaseObjects)} {Pick(r, BaseEndings)}";

    private static string TaskLine(Random r)
    {
        var service = Pick(r, TaskServices);
        var value = r.Next(1000);
        // The task domain's regularities: the level follows the service, the unit follows the event.
        var ev = r.Next(TaskEvents.Length);
        return $"{TaskLevels[Array.IndexOf(TaskServices, service) % TaskLevels.Length]} {service}: {TaskEvents[ev]} {value} {TaskUnits[ev % TaskUnits.Length]};";
    }

    private static string Pick(Random r, string[] options) => options[r.Next(options.Length)];
}
