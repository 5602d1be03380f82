using System.CommandLine;
using System.Text.Json;
using SlmOps.Cli.Api;
using SlmOps.Cli.Client;
using SlmOps.Cli.Config;
using Spectre.Console;

namespace SlmOps.Cli.Commands;

/// <summary>`slmops models list`, `versions TASK`, `aliases TASK`, `promote TASK ALIAS VERSION`, `rollback TASK ALIAS`.</summary>
public static class RegistryCommands
{
    public static IEnumerable<Command> Create(CliContext context)
    {
        var models = new Command("models", "Registered base models (LLMs) and task models (SLMs).");
        models.Subcommands.Add(ListModels(context));
        return [models, Versions(context), Aliases(context), Promote(context), Rollback(context)];
    }

    private static string TaskPath(string task) => $"api/v1/task-models/{Uri.EscapeDataString(task)}";

    private static Command ListModels(CliContext context)
    {
        var command = new Command("list", "List base models and task models with their newest versions and aliases.");
        ClientOptions.SetAction(command, context, async call =>
        {
            var bases = await call.Api.GetAsync<JsonElement>("api/v1/base-models", call.Ct);
            var tasks = await call.Api.GetAsync<JsonElement>("api/v1/task-models", call.Ct);
            if (call.Json) return call.WriteJson(new { baseModels = bases, taskModels = tasks });

            var baseTable = new Table().Title("base models").AddColumns("name", "versions", "latest", "architecture", "parameters", "weights");
            foreach (var b in Format.Read<List<BaseModel>>(bases))
            {
                baseTable.AddRow(Markup.Escape(b.Name), b.VersionCount.ToString(), b.Latest?.Version.ToString() ?? "", b.Latest?.ArchitectureKind ?? "",
                    Format.Number(b.Latest?.ParameterCount), b.Latest?.WeightsSha256[..12] ?? "");
            }
            var taskTable = new Table().Title("task models").AddColumns("task", "versions", "latest", "follows", "coupling", "val loss", "aliases");
            foreach (var t in Format.Read<List<TaskModel>>(tasks))
            {
                taskTable.AddRow(Markup.Escape(t.Name), t.VersionCount.ToString(), t.Latest?.Version.ToString() ?? "",
                    t.Latest is { } l ? Markup.Escape($"{l.BaseModel.Name}@{l.BaseModel.Version}") : "", t.Latest?.CouplingMode ?? "",
                    Format.Number(t.Latest?.ValLoss), Markup.Escape(string.Join(", ", t.Aliases.OrderBy(a => a.Key).Select(a => $"{a.Key}→{a.Value}"))));
            }
            call.Out.Write(baseTable);
            call.Out.Write(taskTable);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Versions(CliContext context)
    {
        var task = new Argument<string>("TASK") { Description = "Task model name." };
        var command = new Command("versions", "List a task model's SLM versions, newest first, with val loss and aliases.") { task };
        ClientOptions.SetAction(command, context, async call =>
        {
            var json = await call.Api.GetAsync<JsonElement>($"{TaskPath(call.Value(task))}/versions", call.Ct);
            if (call.Json) return call.WriteJson(json);
            var table = new Table().AddColumns("version", "id", "follows", "coupling", "parameters", "dataset", "val loss", "aliases", "run", "created");
            foreach (var v in Format.Read<List<SlmVersion>>(json))
            {
                table.AddRow(v.Version.ToString(), v.Id.ToString(), Markup.Escape($"{v.BaseModel.Name}@{v.BaseModel.Version}"), v.CouplingMode,
                    Format.Number(v.ParameterCount), v.Dataset is { } d ? Markup.Escape($"{d.Name}@{d.Version}") : "", Format.Number(v.ValLoss),
                    Markup.Escape(string.Join(", ", v.Aliases)), v.RunId?.ToString() ?? "", Format.Time(v.CreatedAt));
            }
            call.Out.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Aliases(CliContext context)
    {
        var task = new Argument<string>("TASK") { Description = "Task model name." };
        var command = new Command("aliases", "List a task model's aliases and the versions they point at.") { task };
        ClientOptions.SetAction(command, context, async call =>
        {
            var json = await call.Api.GetAsync<JsonElement>($"{TaskPath(call.Value(task))}/aliases", call.Ct);
            if (call.Json) return call.WriteJson(json);
            var table = new Table().AddColumns("alias", "version", "slm version id", "updated by", "updated");
            foreach (var a in Format.Read<List<Alias>>(json))
            {
                table.AddRow(Markup.Escape(a.Name), a.Version.ToString(), a.SlmVersionId.ToString(), Markup.Escape(a.UpdatedBy), Format.Time(a.UpdatedAt));
            }
            call.Out.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Promote(CliContext context)
    {
        var task = new Argument<string>("TASK") { Description = "Task model name." };
        var alias = new Argument<string>("ALIAS") { Description = "Alias to point (production, staging, any name)." };
        var version = new Argument<int>("VERSION") { Description = "Version number within the task." };
        var force = new Option<bool>("--force") { Description = "Override the production gate (needs --reason)." };
        var reason = new Option<string?>("--reason") { Description = "Why; recorded in the audit log." };
        var command = new Command("promote", "Point an alias at a version; 'production' must pass the evaluation gate unless --force --reason.") { task, alias, version, force, reason };
        ClientOptions.SetAction(command, context, async call =>
        {
            if (call.Value(force) && string.IsNullOrWhiteSpace(call.Value(reason)))
                throw new ArgumentException("--force needs --reason \"why\": overriding the gate is recorded in the audit log.");
            var body = new SetAlias(call.Value(version), call.Value(force), call.Value(reason));
            var json = await call.Api.PutAsync<JsonElement>($"{TaskPath(call.Value(task))}/aliases/{Uri.EscapeDataString(call.Value(alias))}", body, call.Ct);
            if (call.Json) return call.WriteJson(json);
            var moved = Format.Read<Alias>(json);
            call.Out.MarkupLine($"{Markup.Escape(moved.Task)}@{Markup.Escape(moved.Name)} → version {moved.Version}{(call.Value(force) ? " (forced)" : "")}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Rollback(CliContext context)
    {
        var task = new Argument<string>("TASK") { Description = "Task model name." };
        var alias = new Argument<string>("ALIAS") { Description = "Alias to move back." };
        var reason = new Option<string?>("--reason") { Description = "Why; recorded in the audit log." };
        var command = new Command("rollback", "Move an alias back to the version it pointed at before its last move.") { task, alias, reason };
        ClientOptions.SetAction(command, context, async call =>
        {
            var json = await call.Api.PostAsync<JsonElement>(
                $"{TaskPath(call.Value(task))}/aliases/{Uri.EscapeDataString(call.Value(alias))}/rollback", new RollbackAlias(call.Value(reason)), call.Ct);
            if (call.Json) return call.WriteJson(json);
            var moved = Format.Read<Alias>(json);
            call.Out.MarkupLine($"{Markup.Escape(moved.Task)}@{Markup.Escape(moved.Name)} rolled back to version {moved.Version}");
            return ExitCodes.Success;
        });
        return command;
    }
}
