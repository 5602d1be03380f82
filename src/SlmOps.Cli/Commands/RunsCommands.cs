using System.CommandLine;
using System.Text.Json;
using SlmOps.Cli.Api;
using SlmOps.Cli.Client;
using SlmOps.Cli.Config;
using SlmOps.Contracts;
using Spectre.Console;

namespace SlmOps.Cli.Commands;

/// <summary>`slmops runs submit|list|get|cancel|watch|metrics`.</summary>
public static class RunsCommands
{
    public static Command Create(CliContext context)
    {
        var runs = new Command("runs", "Submit, list, inspect, cancel and watch runs.");
        runs.Subcommands.Add(Submit(context));
        runs.Subcommands.Add(List(context));
        runs.Subcommands.Add(Get(context));
        runs.Subcommands.Add(Cancel(context));
        runs.Subcommands.Add(RunWatchCommand.Create(context));
        runs.Subcommands.Add(Metrics(context));
        return runs;
    }

    private static Command Submit(CliContext context)
    {
        var kind = new Argument<string>("KIND") { Description = "prepare, pretrain, finetune or evaluate." };
        kind.AcceptOnlyFromAmong([.. RunKinds.ByWord.Keys]);
        var spec = new Option<FileInfo?>("--spec") { Description = "JSON file with the run's spec." };
        var set = new Option<string[]>("--set") { Description = "Override or add a spec field: key=value, dotted for nesting (training.steps=200). Repeatable.", AllowMultipleArgumentsPerToken = false };
        var name = new Option<string?>("--name") { Description = "Run name." };
        var priority = new Option<int>("--priority") { Description = "0..9, higher runs first (default 0)." };
        var command = new Command("submit", "Submit a run; the spec comes from --spec and/or --set.") { kind, spec, set, name, priority };
        ClientOptions.SetAction(command, context, async call =>
        {
            var body = new SubmitRun(call.Value(name), call.Value(priority), SpecBuilder.Build(call.Value(spec), call.Value(set) ?? []));
            var created = await call.Api.PostAsync<JsonElement>($"api/v1/runs/{call.Value(kind).ToLowerInvariant()}", body, call.Ct);
            if (call.Json) return call.WriteJson(created);
            var run = Format.Read<Run>(created);
            call.Out.MarkupLine($"Submitted {run.Kind} run [bold]{run.Id}[/]{(run.Name is null ? "" : " " + Markup.Escape(run.Name))}: {run.Status}");
            call.Say($"Follow it with: slmops runs watch {run.Id}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command List(CliContext context)
    {
        var status = new Option<RunStatus?>("--status") { Description = "Queued, Running, Succeeded, Failed or Cancelled." };
        var kind = new Option<string?>("--kind") { Description = "prepare, pretrain, finetune or evaluate." };
        var name = new Option<string?>("--name") { Description = "Only runs whose name contains this text." };
        var limit = new Option<int>("--limit") { Description = "At most this many runs (1..500, default 50).", DefaultValueFactory = _ => 50 };
        var command = new Command("list", "List runs, newest first.") { status, kind, name, limit };
        ClientOptions.SetAction(command, context, async call =>
        {
            var query = new List<string> { $"pageSize={call.Value(limit)}" };
            if (call.Value(status) is { } s) query.Add($"status={s}");
            if (call.Value(kind) is { Length: > 0 } k) query.Add($"kind={RunKinds.Parse(k)}");
            if (call.Value(name) is { Length: > 0 } n) query.Add($"search={Uri.EscapeDataString(n)}");
            var json = await call.Api.GetAsync<JsonElement>("api/v1/runs?" + string.Join('&', query), call.Ct);
            if (call.Json) return call.WriteJson(json);
            var page = Format.Read<RunPage>(json);
            var table = new Table().AddColumns("id", "kind", "name", "status", "progress", "loss", "device", "queued", "finished");
            foreach (var r in page.Items)
            {
                table.AddRow(r.Id.ToString(), RunKinds.Word(r.Kind), Markup.Escape(r.Name ?? ""), StatusMarkup(r.Status),
                    $"{r.Progress:P0}", Format.Number(r.LatestLoss), Markup.Escape(r.Device ?? ""), Format.Time(r.QueuedAt), Format.Time(r.FinishedAt));
            }
            call.Out.Write(table);
            call.Say($"{page.Items.Count} of {page.Total} run(s)");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Get(CliContext context)
    {
        var id = new Argument<Guid>("ID") { Description = "Run id." };
        var command = new Command("get", "Show one run: state, timings and config.") { id };
        ClientOptions.SetAction(command, context, async call =>
        {
            var json = await call.Api.GetAsync<JsonElement>($"api/v1/runs/{call.Value(id)}", call.Ct);
            if (call.Json) return call.WriteJson(json);
            call.Out.Write(Describe(Format.Read<Run>(json)));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Cancel(CliContext context)
    {
        var id = new Argument<Guid>("ID") { Description = "Run id." };
        var command = new Command("cancel", "Cancel a run: a queued one at once, a running one at its next step.") { id };
        ClientOptions.SetAction(command, context, async call =>
        {
            var json = await call.Api.PostAsync<JsonElement>($"api/v1/runs/{call.Value(id)}/cancel", null, call.Ct);
            if (call.Json) return call.WriteJson(json);
            var run = Format.Read<Run>(json);
            call.Out.MarkupLine(run.Status == RunStatus.Cancelled
                ? $"Run {run.Id} cancelled."
                : $"Run {run.Id} is {run.Status}; it stops at its next step boundary.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Metrics(CliContext context)
    {
        var id = new Argument<Guid>("ID") { Description = "Run id." };
        var key = new Option<string?>("--key") { Description = "Only this metric (e.g. loss)." };
        var maxPoints = new Option<int>("--max-points") { Description = "Downsample each series to at most this many points.", DefaultValueFactory = _ => 500 };
        var command = new Command("metrics", "A run's metric series: last value, min and max per key (--json: every point).") { id, key, maxPoints };
        ClientOptions.SetAction(command, context, async call =>
        {
            var path = $"api/v1/runs/{call.Value(id)}/metrics?maxPoints={call.Value(maxPoints)}";
            if (call.Value(key) is { Length: > 0 } k) path += $"&key={Uri.EscapeDataString(k)}";
            var json = await call.Api.GetAsync<JsonElement>(path, call.Ct);
            if (call.Json) return call.WriteJson(json);
            var table = new Table().AddColumns("key", "points", "last step", "last", "min", "max");
            foreach (var s in Format.Read<List<MetricSeries>>(json).Where(s => s.Points.Count > 0))
            {
                var last = s.Points[^1];
                table.AddRow(Markup.Escape(s.Key), s.Points.Count.ToString(), last.Step.ToString(), Format.Number(last.Value),
                    Format.Number(s.Points.Min(p => p.Value)), Format.Number(s.Points.Max(p => p.Value)));
            }
            call.Out.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }

    public static Table Describe(Run r)
    {
        var table = new Table().AddColumn("property").AddColumn("value");
        table.AddRow("id", r.Id.ToString());
        table.AddRow("kind", $"{RunKinds.Word(r.Kind)} ({r.Kind})");
        table.AddRow("name", Markup.Escape(r.Name ?? ""));
        table.AddRow("status", StatusMarkup(r.Status));
        table.AddRow("progress", $"{r.Progress:P0}");
        table.AddRow("latest loss", Format.Number(r.LatestLoss));
        table.AddRow("attempt", r.Attempt.ToString());
        table.AddRow("priority", r.Priority.ToString());
        table.AddRow("worker", Markup.Escape($"{r.WorkerName} {r.Device}".Trim()));
        if (r.Ranks is { Count: > 0 } ranks)
            table.AddRow("ranks", Markup.Escape(string.Join("\n", ranks.Select(k => $"{k.Rank}: " + string.Join(' ', new[] { k.Worker ?? "(offered)", k.Device, k.State }.Where(p => !string.IsNullOrEmpty(p)))))));
        table.AddRow("queued", Format.Time(r.QueuedAt));
        table.AddRow("started", Format.Time(r.StartedAt));
        table.AddRow("finished", Format.Time(r.FinishedAt));
        if (r.Error is { Length: > 0 } error) table.AddRow("error", $"[red]{Markup.Escape(error)}[/]");
        if (r.ClonedFromRunId is { } from) table.AddRow("cloned from", from.ToString());
        table.AddRow("created by", Markup.Escape(r.CreatedBy));
        table.AddRow("config", Markup.Escape(JsonSerializer.Serialize(r.Config, new JsonSerializerOptions { WriteIndented = true })));
        return table;
    }

    public static string StatusMarkup(RunStatus status) => status switch
    {
        RunStatus.Succeeded => "[green]Succeeded[/]",
        RunStatus.Failed => "[red]Failed[/]",
        RunStatus.Cancelled => "[yellow]Cancelled[/]",
        _ => status.ToString(),
    };
}
