using System.Diagnostics;

namespace SlmOps.Torch.Tests.Support;

/// <summary>
/// Debian's /usr/bin/python3 with python3-torch is the numerical oracle (plain `python3` on PATH may be a pyenv
/// without torch). deploy/install.sh installs it, so in CI these tests run; they skip only where it is absent, and
/// never under CI=true: there a missing oracle fails the tests (<see cref="Run"/> throws saying what is missing).
/// </summary>
public static class PythonOracle
{
    public const string Python = "/usr/bin/python3";

    private static readonly Lazy<string?> MissingReason = new(Probe);

    /// <summary>Null when the oracle is usable, otherwise why not.</summary>
    public static string? Missing => MissingReason.Value;

    /// <summary>Why the oracle's tests skip: null when it is usable, and under CI=true (where they must fail instead).</summary>
    public static string? SkipReason => SkipReasonFor(Missing, Environment.GetEnvironmentVariable("CI"));

    /// <summary>A missing oracle skips the tests, except where <paramref name="ci"/> is "true" (any case).</summary>
    public static string? SkipReasonFor(string? missing, string? ci) =>
        string.Equals(ci?.Trim(), "true", StringComparison.OrdinalIgnoreCase) ? null : missing;

    public static string ScriptDirectory => Path.Combine(AppContext.BaseDirectory, "Parity");

    /// <summary>Runs a script from the Parity folder; throws with its stderr on failure.</summary>
    public static string Run(string script, params string[] args)
    {
        if (Missing is { } missing)
        {
            throw new InvalidOperationException($"The PyTorch oracle is required (CI=true) but unusable: {missing}.");
        }
        var psi = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = ScriptDirectory,
        };
        psi.ArgumentList.Add(Path.Combine(ScriptDirectory, script));
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {Python}");
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} {string.Join(' ', args)} failed ({p.ExitCode}):\n{stderr.Result}");
        }
        return stdout;
    }

    private static string? Probe()
    {
        if (!File.Exists(Python))
        {
            return $"{Python} is not installed (deploy/install.sh installs python3-torch, the PyTorch oracle)";
        }
        try
        {
            var psi = new ProcessStartInfo(Python, ["-c", "import torch"])
            {
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var p = Process.Start(psi)!;
            p.WaitForExit();
            return p.ExitCode == 0 ? null
                : $"{Python} cannot import torch (deploy/install.sh installs python3-torch, the PyTorch oracle)";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"{Python} could not be started: {e.Message}";
        }
    }
}

/// <summary>A fact that needs the PyTorch oracle; skipped, with the reason, only when it is absent.</summary>
public sealed class PythonTorchFactAttribute : FactAttribute
{
    public PythonTorchFactAttribute()
    {
        if (PythonOracle.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>A theory that needs the PyTorch oracle; skipped, with the reason, only when it is absent.</summary>
public sealed class PythonTorchTheoryAttribute : TheoryAttribute
{
    public PythonTorchTheoryAttribute()
    {
        if (PythonOracle.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
