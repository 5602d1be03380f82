using System.CommandLine;
using System.Text.Json;
using SlmOps.Cli.Api;
using SlmOps.Cli.Client;
using SlmOps.Cli.Config;
using Spectre.Console;

namespace SlmOps.Cli.Commands;

/// <summary>
/// `slmops teams list|show|create|delete|add-key|share|unshare`: teams own datasets, runs and task models; admins manage
/// them, and a team's editors share its datasets and task models (read only) with other teams.
/// </summary>
public static class TeamsCommands
{
    private static readonly string[] ShareKinds = ["dataset", "task-model"];

    public static Command Create(CliContext context)
    {
        var teams = new Command("teams", "Teams: who owns which datasets, runs and task models, and what is shared between them.");
        teams.Subcommands.Add(List(context));
        teams.Subcommands.Add(Show(context));
        teams.Subcommands.Add(CreateTeam(context));
        teams.Subcommands.Add(Delete(context));
        teams.Subcommands.Add(AddKey(context));
        teams.Subcommands.Add(Share(context, share: true));
        teams.Subcommands.Add(Share(context, share: false));
        return teams;
    }

    private static string TeamPath(string team) => $"api/v1/teams/{Uri.EscapeDataString(team)}";

    private static Command List(CliContext context)
    {
        var command = new Command("list", "The teams the key sees (admins: all; others: their own and the platform team).");
        ClientOptions.SetAction(command, context, async call =>
        {
            var json = await call.Api.GetAsync<JsonElement>("api/v1/teams", call.Ct);
            if (call.Json) return call.WriteJson(json);
            var table = new Table().AddColumns("team", "platform", "max running", "max queued", "created by", "description");
            foreach (var t in Format.Read<List<Team>>(json))
            {
                table.AddRow(Markup.Escape(t.Name), t.Platform ? "yes" : "", Limit(t.MaxRunningRuns), Limit(t.MaxQueuedRuns),
                    Markup.Escape(t.CreatedBy), Markup.Escape(t.Description ?? ""));
            }
            call.Out.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Show(CliContext context)
    {
        var name = new Argument<string>("TEAM") { Description = "Team name." };
        var command = new Command("show", "A team's quotas, what it owns and (to admins) its keys.") { name };
        ClientOptions.SetAction(command, context, async call =>
        {
            var json = await call.Api.GetAsync<JsonElement>(TeamPath(call.Value(name)), call.Ct);
            if (call.Json) return call.WriteJson(json);
            var detail = Format.Read<TeamDetail>(json);
            var (t, h) = (detail.Team, detail.Holdings);
            call.Out.MarkupLine($"[bold]{Markup.Escape(t.Name)}[/]{(t.Platform ? " (platform team)" : "")} · max running {Limit(t.MaxRunningRuns)} · max queued {Limit(t.MaxQueuedRuns)}");
            call.Out.MarkupLine($"owns {h.Datasets} datasets, {h.Runs} runs, {h.TaskModels} task models, {h.ApiKeys} API keys, {h.Webhooks} webhooks");
            if (detail.Members is { } members)
            {
                var table = new Table().AddColumns("key", "name", "role", "active");
                foreach (var m in members) table.AddRow(Markup.Escape(m.Prefix), Markup.Escape(m.Name), m.Role, m.Active ? "yes" : "no");
                call.Out.Write(table);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateTeam(CliContext context)
    {
        var name = new Argument<string>("TEAM") { Description = "Team name: 1 to 64 of a-z, 0-9 and '-'." };
        var description = new Option<string?>("--description") { Description = "What the team does." };
        var maxRunning = new Option<int?>("--max-running") { Description = "Most runs of the team running at once (default: no limit)." };
        var maxQueued = new Option<int?>("--max-queued") { Description = "Most runs of the team waiting in the workers' queues (default: no limit)." };
        var command = new Command("create", "Create a team (admin).") { name, description, maxRunning, maxQueued };
        ClientOptions.SetAction(command, context, async call =>
        {
            var json = await call.Api.PostAsync<JsonElement>("api/v1/teams", new
            {
                name = call.Value(name), description = call.Value(description), maxRunningRuns = call.Value(maxRunning), maxQueuedRuns = call.Value(maxQueued),
            }, call.Ct);
            if (call.Json) return call.WriteJson(json);
            call.Out.MarkupLine($"Created team [bold]{Markup.Escape(call.Value(name))}[/]. Give it keys with `slmops teams add-key {Markup.Escape(call.Value(name))} PREFIX`.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Delete(CliContext context)
    {
        var name = new Argument<string>("TEAM") { Description = "Team name." };
        var command = new Command("delete", "Delete a team that owns nothing (admin).") { name };
        ClientOptions.SetAction(command, context, async call =>
        {
            await call.Api.SendAsync<JsonElement>(HttpMethod.Delete, TeamPath(call.Value(name)), null, call.Ct);
            if (call.Json) return call.WriteJson(new { deleted = call.Value(name) });
            call.Out.MarkupLine($"Deleted team [bold]{Markup.Escape(call.Value(name))}[/].");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command AddKey(CliContext context)
    {
        var name = new Argument<string>("TEAM") { Description = "The team the key moves into." };
        var prefix = new Argument<string>("PREFIX") { Description = "The key's 8-character prefix (slm_<prefix>_...)." };
        var command = new Command("add-key", "Move an API key into a team; its role is then its role there (admin).") { name, prefix };
        ClientOptions.SetAction(command, context, async call =>
        {
            var json = await call.Api.PutAsync<JsonElement>($"{TeamPath(call.Value(name))}/members/{Uri.EscapeDataString(call.Value(prefix))}", null, call.Ct);
            if (call.Json) return call.WriteJson(json);
            call.Out.MarkupLine($"Key {Markup.Escape(call.Value(prefix))} now acts in team [bold]{Markup.Escape(call.Value(name))}[/].");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Share(CliContext context, bool share)
    {
        var kind = new Argument<string>("KIND") { Description = "dataset or task-model." };
        kind.AcceptOnlyFromAmong(ShareKinds);
        var target = new Argument<string>("NAME") { Description = "The dataset or task model (your team's)." };
        var team = new Argument<string>("TEAM") { Description = share ? "The team that may read it." : "The team whose read access ends." };
        var command = share
            ? new Command("share", "Let another team read one of your team's datasets or task models (never change or promote it).") { kind, target, team }
            : new Command("unshare", "Take another team's read access back.") { kind, target, team };
        ClientOptions.SetAction(command, context, async call =>
        {
            var collection = call.Value(kind) == "dataset" ? "datasets" : "task-models";
            var path = $"api/v1/{collection}/{Uri.EscapeDataString(call.Value(target))}/shares";
            if (share)
            {
                var json = await call.Api.PostAsync<JsonElement>(path, new { team = call.Value(team) }, call.Ct);
                if (call.Json) return call.WriteJson(json);
                call.Out.MarkupLine($"Team [bold]{Markup.Escape(call.Value(team))}[/] may now read {call.Value(kind)} {Markup.Escape(call.Value(target))}.");
            }
            else
            {
                await call.Api.SendAsync<JsonElement>(HttpMethod.Delete, $"{path}/{Uri.EscapeDataString(call.Value(team))}", null, call.Ct);
                if (call.Json) return call.WriteJson(new { unshared = call.Value(target), team = call.Value(team) });
                call.Out.MarkupLine($"Team [bold]{Markup.Escape(call.Value(team))}[/] no longer reads {call.Value(kind)} {Markup.Escape(call.Value(target))}.");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static string Limit(int? limit) => limit?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no limit";
}
