using System.CommandLine;
using System.Text.Json;
using SlmOps.Cli.Api;
using SlmOps.Cli.Client;
using SlmOps.Cli.Config;
using SlmOps.Contracts;
using Spectre.Console;

namespace SlmOps.Cli.Commands;

/// <summary>
/// `slmops runs watch ID`: polls the run and its loss series about once a second and shows step/total and loss
/// on a progress bar (stderr) until the run finishes. Exit 0 Succeeded, 1 Failed, 7 Cancelled.
/// </summary>
public static class RunWatchCommand
{
    public static Command Create(CliContext context)
    {
        var id = new Argument<Guid>("ID") { Description = "Run id." };
        var command = new Command("watch", "Follow a run live until it finishes; exit 0 Succeeded, 1 Failed, 7 Cancelled.") { id };
        ClientOptions.SetAction(command, context, async call =>
        {
            var runId = call.Value(id);
            JsonElement last = default;
            await call.Err.Progress().AutoClear(false).Columns(new PlainDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async progress =>
                {
                    var task = progress.AddTask($"run {runId}", maxValue: 100);
                    while (true)
                    {
                        last = await call.Api.GetAsync<JsonElement>($"api/v1/runs/{runId}", call.Ct);
                        var run = Format.Read<Run>(last);
                        var step = await LatestStepAsync(call, runId);
                        var line = Describe(run, step);
                        // Without a terminal the bar does not render; a line per change keeps logs readable.
                        if (!call.Err.Profile.Capabilities.Interactive && line != task.Description) call.Err.WriteLine(line);
                        task.Description = line;
                        task.Value = Math.Clamp(run.Progress * 100, 0, 100);
                        if (run.Status.IsTerminal())
                        {
                            if (run.Status == RunStatus.Succeeded) task.Value = 100;
                            task.StopTask();
                            return;
                        }
                        await Task.Delay(call.Context.PollInterval, call.Ct);
                    }
                });
            var final = Format.Read<Run>(last);
            if (call.Json) call.WriteJson(last);
            switch (final.Status)
            {
                case RunStatus.Succeeded:
                    call.Say($"[green]Run {final.Id} succeeded[/]{(final.LatestLoss is { } l ? $" (loss {Format.Number(l)})" : "")}.");
                    return ExitCodes.Success;
                case RunStatus.Cancelled:
                    call.Say($"[yellow]Run {final.Id} was cancelled.[/]{Markup.Escape(final.Error is null ? "" : " " + final.Error)}");
                    return ExitCodes.RunCancelled;
                default:
                    call.Say($"[red]Run {final.Id} failed:[/] {Markup.Escape(final.Error ?? "(no error recorded)")}");
                    call.Say($"Log lines: GET /api/v1/runs/{final.Id}/events");
                    return ExitCodes.RunFailed;
            }
        });
        return command;
    }

    private static async Task<long?> LatestStepAsync(ClientCall call, Guid runId)
    {
        var series = await call.Api.GetAsync<List<MetricSeries>>($"api/v1/runs/{runId}/metrics?key=loss&maxPoints=2", call.Ct);
        return series.FirstOrDefault()?.Points.LastOrDefault()?.Step;
    }

    /// <summary>"name  Running  step 40/200  loss 2.31"; the total comes from the spec's training.steps, else from progress.</summary>
    public static string Describe(Run run, long? step)
    {
        var parts = new List<string> { run.Name ?? run.Id.ToString()[..8], run.Status.ToString() };
        if (step is { } s)
        {
            var total = TotalSteps(run.Config) ?? (run.Progress > 0 ? (long)Math.Round(s / run.Progress) : null);
            parts.Add(total is { } t ? $"step {s}/{t}" : $"step {s}");
        }
        if (run.LatestLoss is { } loss) parts.Add($"loss {Format.Number(loss)}");
        return string.Join("  ", parts);
    }

    private static long? TotalSteps(JsonElement config) =>
        config.ValueKind == JsonValueKind.Object && config.TryGetProperty("training", out var training)
        && training.ValueKind == JsonValueKind.Object && training.TryGetProperty("steps", out var steps)
        && steps.ValueKind == JsonValueKind.Number && steps.TryGetInt64(out var value) ? value : null;
}
