using System.Text;

namespace SlmOps.Modeling.Tokenizers;

/// <summary>
/// Learns byte-level BPE merges. Each step merges the most frequent adjacent pair; ties go to the
/// smallest (left, right) id pair, so the same corpus always yields the same merges. Pair counts are
/// updated incrementally for the words a merge touches rather than recounted.
/// </summary>
internal static class BpeTrainer
{
    public static List<(int, int)> LearnMerges(IEnumerable<string> documents, int vocabSize, int minPairFrequency)
    {
        if (vocabSize < 256) throw new ArgumentOutOfRangeException(nameof(vocabSize), vocabSize, "A byte-level vocabulary has at least 256 tokens.");
        if (minPairFrequency < 1) throw new ArgumentOutOfRangeException(nameof(minPairFrequency));

        var chunkCounts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var doc in documents)
            foreach (var chunk in ByteBpeTokenizer.Chunks(doc))
                chunkCounts[chunk] = chunkCounts.GetValueOrDefault(chunk) + 1;

        // Sort the unique chunks so word indices (and hence iteration order) do not depend on hashing.
        var ordered = chunkCounts.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToArray();
        var words = new List<int>[ordered.Length];
        var counts = new long[ordered.Length];
        for (var w = 0; w < ordered.Length; w++)
        {
            words[w] = Encoding.UTF8.GetBytes(ordered[w].Key).Select(b => (int)b).ToList();
            counts[w] = ordered[w].Value;
        }

        var pairCounts = new Dictionary<long, long>();
        var wordsWithPair = new Dictionary<long, HashSet<int>>();
        void Account(int w, int sign)
        {
            var s = words[w];
            for (var i = 0; i + 1 < s.Count; i++)
            {
                var key = ByteBpeTokenizer.Key(s[i], s[i + 1]);
                var c = pairCounts.GetValueOrDefault(key) + sign * counts[w];
                if (c == 0) pairCounts.Remove(key); else pairCounts[key] = c;
                if (sign > 0)
                {
                    if (!wordsWithPair.TryGetValue(key, out var set)) wordsWithPair[key] = set = [];
                    set.Add(w);
                }
            }
        }
        for (var w = 0; w < words.Length; w++) Account(w, +1);

        var merges = new List<(int, int)>();
        while (256 + merges.Count < vocabSize)
        {
            long bestKey = -1, bestCount = 0;
            foreach (var (key, c) in pairCounts)
                if (c > bestCount || (c == bestCount && key < bestKey)) { bestKey = key; bestCount = c; }
            if (bestCount < minPairFrequency) break;

            var left = (int)(bestKey >> 32);
            var right = (int)(bestKey & 0xFFFFFFFF);
            var newId = 256 + merges.Count;
            merges.Add((left, right));
            // The set may hold words that no longer contain the pair; merging them is a no-op.
            foreach (var w in wordsWithPair[bestKey].Order().ToArray())
            {
                Account(w, -1);
                MergeInPlace(words[w], left, right, newId);
                Account(w, +1);
            }
            wordsWithPair.Remove(bestKey);
        }
        return merges;
    }

    /// <summary>Replaces every non-overlapping (left, right) occurrence, scanning left to right.</summary>
    public static void MergeInPlace(List<int> symbols, int left, int right, int merged)
    {
        var write = 0;
        for (var read = 0; read < symbols.Count; read++)
        {
            if (read + 1 < symbols.Count && symbols[read] == left && symbols[read + 1] == right)
            {
                symbols[write++] = merged;
                read++;
            }
            else symbols[write++] = symbols[read];
        }
        symbols.RemoveRange(write, symbols.Count - write);
    }
}
