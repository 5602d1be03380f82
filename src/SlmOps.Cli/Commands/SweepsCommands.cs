using System.CommandLine;
using System.Text.Json;
using SlmOps.Cli.Api;
using SlmOps.Cli.Client;
using SlmOps.Cli.Config;
using SlmOps.Contracts.Sweeps;
using Spectre.Console;

namespace SlmOps.Cli.Commands;

/// <summary>`slmops sweeps submit|get`: a sweep's trials are ordinary runs (`slmops runs list` shows them; cancel the sweep with `slmops runs cancel ID`).</summary>
public static class SweepsCommands
{
    public static Command Create(CliContext context)
    {
        var sweeps = new Command("sweeps", "Submit a sweep (trials over a search space, with early stopping) and read its leaderboard.");
        sweeps.Subcommands.Add(Submit(context));
        sweeps.Subcommands.Add(Get(context));
        return sweeps;
    }

    private static Command Submit(CliContext context)
    {
        var spec = new Option<FileInfo?>("--spec") { Description = "JSON file with the sweep spec: trialKind, spec (the base run spec), space, budget, parallelism, metric, direction, earlyStopping, seed." };
        var set = new Option<string[]>("--set") { Description = "Override or add a sweep spec field: key=value, dotted for nesting (budget=8, spec.training.steps=200). Repeatable.", AllowMultipleArgumentsPerToken = false };
        var name = new Option<string?>("--name") { Description = "Sweep name (its trials are named NAME #i)." };
        var priority = new Option<int>("--priority") { Description = "0..9 for every trial, higher runs first (default 0)." };
        var command = new Command("submit", "Submit a sweep; the spec comes from --spec and/or --set.") { spec, set, name, priority };
        ClientOptions.SetAction(command, context, async call =>
        {
            var body = new SubmitRun(call.Value(name), call.Value(priority), SpecBuilder.Build(call.Value(spec), call.Value(set) ?? []));
            var created = await call.Api.PostAsync<JsonElement>("api/v1/sweeps", body, call.Ct);
            if (call.Json) return call.WriteJson(created);
            var sweep = Format.Read<SweepDto>(created);
            call.Out.MarkupLine($"Submitted sweep [bold]{sweep.Id}[/]{(sweep.Name is null ? "" : " " + Markup.Escape(sweep.Name))}: " +
                                $"{sweep.Budget} {sweep.TrialKind} trial(s), {sweep.Parallelism} at a time, {sweep.Direction} {Markup.Escape(sweep.Metric)}");
            call.Say($"Follow it with: slmops sweeps get {sweep.Id}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Get(CliContext context)
    {
        var id = new Argument<Guid>("ID") { Description = "Sweep id (a run id of kind Sweep)." };
        var command = new Command("get", "Show a sweep: its state and its trials ranked best first.") { id };
        ClientOptions.SetAction(command, context, async call =>
        {
            var json = await call.Api.GetAsync<JsonElement>($"api/v1/sweeps/{call.Value(id)}", call.Ct);
            if (call.Json) return call.WriteJson(json);
            var sweep = Format.Read<SweepDto>(json);
            call.Out.MarkupLine($"Sweep [bold]{sweep.Id}[/] {Markup.Escape(sweep.Name ?? "")}: {RunsCommands.StatusMarkup(sweep.Status)}, " +
                                $"{sweep.Submitted} of {sweep.Budget} trial(s) submitted, {sweep.InFlight} in flight; {sweep.Direction} {Markup.Escape(sweep.Metric)}");
            if (sweep.Error is { Length: > 0 } error) call.Out.MarkupLine($"[red]{Markup.Escape(error)}[/]");
            call.Out.Write(Leaderboard(sweep));
            if (sweep.Best is { } best)
                call.Out.MarkupLine($"Best: trial {best.Index}, run {best.RunId}, {Markup.Escape(sweep.Metric)} {Format.Number(best.BestValue)} at step {best.BestStep}" +
                                    (best.SlmVersionId is { } slm ? $", SLM version id {slm}" : ""));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>One row per trial, in the server's ranking; a column per searched field.</summary>
    public static Table Leaderboard(SweepDto sweep)
    {
        var fields = sweep.Trials.SelectMany(t => t.Params.Keys).Distinct().ToList();
        var table = new Table().AddColumns("rank", "trial", "run", "status");
        foreach (var field in fields) table.AddColumn(Markup.Escape(field));
        table.AddColumns(Markup.Escape(sweep.Metric), "step", "stopped at", "slm version");
        var rank = 0;
        foreach (var t in sweep.Trials)
        {
            var cells = new List<string>
            {
                t.BestValue is null ? "" : (++rank).ToString(), t.Index.ToString(), t.RunId?.ToString() ?? "",
                t.Status is { } s ? RunsCommands.StatusMarkup(s) : $"[red]{Markup.Escape(t.Error ?? "not submitted")}[/]",
            };
            cells.AddRange(fields.Select(f => t.Params.TryGetValue(f, out var v) ? Markup.Escape(v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText()) : ""));
            cells.AddRange([Format.Number(t.BestValue), t.BestStep?.ToString() ?? "", t.StoppedAtStep?.ToString() ?? "", t.SlmVersionId?.ToString() ?? ""]);
            table.AddRow(cells.ToArray());
        }
        return table;
    }
}
