using System.CommandLine;
using System.Net.Http.Headers;
using System.Text.Json;
using SlmOps.Cli.Api;
using SlmOps.Cli.Client;
using SlmOps.Cli.Config;
using Spectre.Console;

namespace SlmOps.Cli.Commands;

/// <summary>`slmops datasets upload|list|versions`.</summary>
public static class DatasetsCommands
{
    public static Command Create(CliContext context)
    {
        var datasets = new Command("datasets", "Upload and list datasets.");
        datasets.Subcommands.Add(Upload(context));
        datasets.Subcommands.Add(List(context));
        datasets.Subcommands.Add(Versions(context));
        return datasets;
    }

    private static Command Upload(CliContext context)
    {
        var name = new Argument<string>("NAME") { Description = "Dataset name; an existing name gets its next version." };
        var file = new Argument<FileInfo>("FILE") { Description = "Text, JSONL or CSV file." };
        var format = new Option<string?>("--format") { Description = "text, jsonl or csv (default: from the file name)." };
        var description = new Option<string?>("--description") { Description = "What the dataset is." };
        var command = new Command("upload", "Upload a file as the next version of a dataset (streamed, with a progress bar on stderr).") { name, file, format, description };
        ClientOptions.SetAction(command, context, async call =>
        {
            var path = call.Value(file);
            if (!path.Exists) throw new FileNotFoundException($"File not found: {path.FullName}");
            using var form = new MultipartFormDataContent();
            // The server checks the name before it stores any bytes, so it goes first.
            form.Add(new StringContent(call.Value(name)), "name");
            if (call.Value(format) is { Length: > 0 } f) form.Add(new StringContent(f), "format");
            if (call.Value(description) is { Length: > 0 } d) form.Add(new StringContent(d), "description");

            JsonElement created = default;
            await call.Err.Progress().AutoClear(false).Columns(
                    new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn())
                .StartAsync(async progress =>
                {
                    var task = progress.AddTask(Markup.Escape($"upload {path.Name}"), maxValue: Math.Max(path.Length, 1));
                    var content = new FileUploadContent(path.FullName, sent => task.Value = sent);
                    content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                    form.Add(content, "file", path.Name);
                    created = await call.Api.SendAsync<JsonElement>(HttpMethod.Post, "api/v1/datasets", form, call.Ct);
                    task.Value = task.MaxValue;
                });
            call.Say($"Sent {Markup.Escape(path.Name)} ({Format.Bytes(path.Length)}).");
            if (call.Json) return call.WriteJson(created);
            var version = Format.Read<DatasetVersion>(created);
            call.Out.MarkupLine($"Uploaded [bold]{Markup.Escape(version.Dataset)}[/] version {version.Version} (id {version.Id}, {version.Format}, {Format.Bytes(version.SizeBytes)}, {Format.Number(version.RowCount)} rows, sha256 {version.Sha256[..12]})");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command List(CliContext context)
    {
        var command = new Command("list", "List datasets with their newest version.");
        ClientOptions.SetAction(command, context, async call =>
        {
            var json = await call.Api.GetAsync<JsonElement>("api/v1/datasets", call.Ct);
            if (call.Json) return call.WriteJson(json);
            var table = new Table().AddColumns("name", "versions", "latest", "latest id", "format", "size", "rows", "created by", "description");
            foreach (var d in Format.Read<List<Dataset>>(json))
            {
                table.AddRow(Markup.Escape(d.Name), d.VersionCount.ToString(), d.Latest?.Version.ToString() ?? "", d.Latest?.Id.ToString() ?? "",
                    d.Latest?.Format ?? "", d.Latest is { } l ? Format.Bytes(l.SizeBytes) : "", Format.Number(d.Latest?.RowCount),
                    Markup.Escape(d.CreatedBy), Markup.Escape(d.Description ?? ""));
            }
            call.Out.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Versions(CliContext context)
    {
        var name = new Argument<string>("NAME") { Description = "Dataset name." };
        var command = new Command("versions", "List a dataset's versions, newest first.") { name };
        ClientOptions.SetAction(command, context, async call =>
        {
            var json = await call.Api.GetAsync<JsonElement>($"api/v1/datasets/{Uri.EscapeDataString(call.Value(name))}", call.Ct);
            if (call.Json) return call.WriteJson(json.GetProperty("versions"));
            var table = new Table().AddColumns("version", "id", "format", "size", "rows", "tokens", "sha256", "file", "created by", "created");
            foreach (var v in Format.Read<DatasetDetail>(json).Versions)
            {
                table.AddRow(v.Version.ToString(), v.Id.ToString(), v.Format, Format.Bytes(v.SizeBytes), Format.Number(v.RowCount),
                    Format.Number(v.TokenCount), v.Sha256[..12], Markup.Escape(v.SourceFileName ?? ""), Markup.Escape(v.CreatedBy), Format.Time(v.CreatedAt));
            }
            call.Out.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }
}
