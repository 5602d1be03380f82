using Spectre.Console;
using Spectre.Console.Rendering;

namespace SlmOps.Cli.Client;

/// <summary>A progress column showing the task's description as plain text (server-supplied names are never read as markup).</summary>
public sealed class PlainDescriptionColumn : ProgressColumn
{
    public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) => new Text(task.Description);
}
