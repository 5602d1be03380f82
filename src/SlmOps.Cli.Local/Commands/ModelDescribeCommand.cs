using System.CommandLine;
using System.Text.Json;
using SlmOps.Modeling.Architectures;
using Spectre.Console;

namespace SlmOps.Cli.Local.Commands;

/// <summary>`slmops-local model describe --preset NAME [--vocab V] [--json]`: architecture, exact parameter count, FLOPs per token.</summary>
public static class ModelDescribeCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var preset = new Option<string>("--preset") { Description = $"Preset name: {string.Join(", ", ModelPresets.Names)}.", Required = true };
        var vocab = new Option<int>("--vocab") { Description = "Vocabulary size (default: the paper's 1092).", DefaultValueFactory = _ => ModelPresets.PaperVocabSize };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table." };
        var command = new Command("describe", "Print a preset's architecture, parameter count and forward FLOPs per token.") { preset, vocab, json };
        command.SetAction(r => SlmOpsLocalCli.Guarded(console, () => Describe(console, r.GetValue(preset)!, r.GetValue(vocab), r.GetValue(json))));
        return command;
    }

    private static int Describe(IAnsiConsole console, string name, int vocab, bool asJson)
    {
        var config = ModelPresets.ByName(name, vocab);
        config.Validate();
        var description = new
        {
            preset = name,
            config = (object)config,
            architecture = config.Architecture,
            parameters = config.ParameterCount(),
            forwardFlopsPerToken = config.ForwardFlopsPerToken(),
        };
        if (asJson)
        {
            console.Profile.Width = int.MaxValue / 2; // never wrap JSON
            console.WriteLine(JsonSerializer.Serialize(description, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
            return 0;
        }
        var table = new Table().AddColumn("property").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("preset", Markup.Escape(name));
        table.AddRow("architecture", config.Architecture);
        table.AddRow("vocabulary (V)", config.VocabSize.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        if (config is FftConfig f) table.AddRow("embedding width (Ve)", f.EmbeddingDim.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (config is GptConfig g) table.AddRow("heads", g.Heads.ToString(System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("width (E)", config.Width.ToString(System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("window (T)", config.BlockSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("layers (L)", config.Layers.ToString(System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("parameters", config.ParameterCount().ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("forward FLOPs per token", config.ForwardFlopsPerToken().ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        console.Write(table);
        return 0;
    }
}
