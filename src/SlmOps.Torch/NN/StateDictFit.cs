namespace SlmOps.Torch;

/// <summary>
/// Whether a state (names and shapes, from tensors or from a file's header) fits a module's own state dict, in
/// load_state_dict's words. One place for the rule, used before anything is written into a module.
/// </summary>
public static class StateDictFit
{
    /// <summary>The problems, empty when it fits; with <paramref name="strict"/>, missing and unexpected keys count too.</summary>
    public static List<string> Problems(IReadOnlyDictionary<string, Tensor> own, IReadOnlyDictionary<string, long[]> shapes, bool strict = true)
    {
        var problems = new List<string>();
        var missing = own.Keys.Where(k => !shapes.ContainsKey(k)).ToList();
        var unexpected = shapes.Keys.Where(k => !own.ContainsKey(k)).ToList();
        if (strict && missing.Count > 0) problems.Add($"missing key(s): {string.Join(", ", missing)}");
        if (strict && unexpected.Count > 0) problems.Add($"unexpected key(s): {string.Join(", ", unexpected)}");
        foreach (var (key, target) in own)
        {
            if (shapes.TryGetValue(key, out var shape) && !shape.SequenceEqual(target.shape))
            {
                problems.Add($"size mismatch for {key}: checkpoint has shape [{string.Join(", ", shape)}], " +
                             $"this model has [{string.Join(", ", target.shape)}]");
            }
        }
        return problems;
    }
}
