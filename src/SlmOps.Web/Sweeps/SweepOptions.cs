namespace SlmOps.Web.Sweeps;

/// <summary>Settings under <c>Sweeps</c>.</summary>
public sealed class SweepOptions
{
    public const string SectionName = "Sweeps";

    /// <summary>Most trials one sweep may ask for.</summary>
    public int MaxBudget { get; set; } = 100;

    /// <summary>How often the recurring <c>advance-sweeps</c> job looks at every running sweep (the safety net: a finished
    /// trial's event already advances its sweep at once).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>"(Sweeps:MaxBudget)": where an administrator raises a limit.</summary>
    public static string Setting(string name) => $"{SectionName}:{name}";
}
