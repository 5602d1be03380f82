using System.Runtime.InteropServices;
using SlmOps.Torch;
using SlmOps.Torch.Serialization;

namespace SlmOps.Modeling.Checkpoints;

/// <summary>
/// Copies a safetensors file that is already in memory straight into a module's parameters,
/// from the verified bytes (no second read of the file, no managed per-tensor arrays). Checks every key and
/// shape before writing anything (as load_state_dict does), so a failed load leaves the module unchanged.
/// </summary>
public static class SafetensorsBytes
{
    /// <returns>False when the file holds a dtype other than F32 (the caller then loads through the general path).</returns>
    public static bool TryLoadInto(torch.nn.Module module, byte[] file, string source)
    {
        var prefixLength = SafetensorsHeader.ReadHeaderLength(file.AsSpan(0, Math.Min(8, file.Length)), file.Length);
        var dataStart = 8 + (int)prefixLength;
        var header = SafetensorsHeader.Parse(file.AsSpan(8, (int)prefixLength), file.Length - dataStart);
        var entries = header.Entries.ToDictionary(e => e.Name, StringComparer.Ordinal);
        var own = module.state_dict();

        var problems = new List<string>();
        var missing = own.Keys.Where(k => !entries.ContainsKey(k)).ToList();
        var unexpected = entries.Keys.Where(k => !own.ContainsKey(k)).ToList();
        if (missing.Count > 0) problems.Add($"missing key(s): {string.Join(", ", missing)}");
        if (unexpected.Count > 0) problems.Add($"unexpected key(s): {string.Join(", ", unexpected)}");
        foreach (var (key, target) in own)
        {
            if (entries.TryGetValue(key, out var entry) && !entry.Shape.SequenceEqual(target.shape))
                problems.Add($"size mismatch for {key}: checkpoint has shape [{string.Join(", ", entry.Shape)}], this model has [{string.Join(", ", target.shape)}]");
        }
        if (problems.Count > 0) throw new InvalidDataException($"'{source}' does not fit {module.GetName}: {string.Join("; ", problems)}.");
        if (own.Any(kv => entries[kv.Key].DType != SafetensorsDType.F32 || kv.Value.dtype != ScalarType.Float32)) return false;

        using var _ = torch.no_grad();
        foreach (var (key, target) in own)
        {
            var entry = entries[key];
            var bytes = file.AsSpan(dataStart + (int)entry.Begin, (int)(entry.End - entry.Begin));
            using var values = torch.tensor(MemoryMarshal.Cast<byte, float>(bytes), entry.Shape, device: target.device);
            target.copy_(values);
        }
        return true;
    }
}
