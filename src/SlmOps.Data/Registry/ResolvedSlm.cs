using SlmOps.Data.Entities;

namespace SlmOps.Data.Registry;

/// <summary>
/// The SLM version a reference such as <c>task@production</c> or <c>task@3</c> names, read without tracking, with
/// its base model version (and that version's base model) loaded.
/// </summary>
/// <param name="Alias">The alias that was followed; null when the version was asked for by number.</param>
public sealed record ResolvedSlm(string Task, string? Alias, SlmVersion Slm)
{
    public int Version => Slm.Version;
    public BaseModelVersion BaseModelVersion => Slm.BaseModelVersion;

    /// <summary><c>task@alias</c> or <c>task@version</c>, as it was asked for.</summary>
    public string Reference => Alias is null ? $"{Task}@{Version}" : $"{Task}@{Alias}";
}
