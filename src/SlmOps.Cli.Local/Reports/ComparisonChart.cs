using System.Globalization;
using System.Security;
using System.Text;
using SlmOps.Modeling.Evaluation;

namespace SlmOps.Cli.Local.Reports;

/// <summary>
/// An SVG bar chart: task validation loss per method, labelled with the share of the gap it closes; with several seeds
/// the bar is the mean and a whisker spans the seeds' min–max.
/// </summary>
public static class ComparisonChart
{
    public static string Svg(MethodComparisonReport report)
    {
        const int rowHeight = 28, left = 130, barMax = 420, top = 40;
        var methods = report.Methods;
        var max = methods.Max(m => m.TaskValLossPerSeed?.Max() ?? m.TaskValLoss);
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{left + barMax + 280}\" height=\"{top + rowHeight * methods.Count + 20}\" font-family=\"sans-serif\" font-size=\"13\">\n");
        var seeds = report.Seeds > 1 ? $", mean and min–max of {report.Seeds} seeds" : "";
        sb.Append(inv, $"<text x=\"10\" y=\"22\" font-size=\"15\">Task validation loss per method ({SecurityElement.Escape(report.Device)}{seeds})</text>\n");
        for (var i = 0; i < methods.Count; i++)
        {
            var m = methods[i];
            var y = top + i * rowHeight;
            var width = max > 0 ? barMax * m.TaskValLoss / max : 0;
            var colour = m.Method.StartsWith("slm-", StringComparison.Ordinal) && m.Method != "slm-alone" ? "#2a7ab9"
                : m.Method is "lora" or "adapter" or "prefix" or "plugin-peft" ? "#4a9a4a" : "#999999";
            var gap = m.GapClosed is { } g ? $", gap closed {g * 100:F1}%" : "";
            sb.Append(inv, $"<text x=\"10\" y=\"{y + 17}\">{SecurityElement.Escape(m.Method)}</text>\n");
            sb.Append(inv, $"<rect x=\"{left}\" y=\"{y + 4}\" width=\"{width:F1}\" height=\"{rowHeight - 8}\" fill=\"{colour}\"/>\n");
            var labelAt = left + width;
            if (m.TaskValLossPerSeed is { Count: > 1 } perSeed && max > 0)
            {
                double low = left + barMax * perSeed.Min() / max, high = left + barMax * perSeed.Max() / max, mid = y + rowHeight / 2.0;
                sb.Append(inv, $"<line class=\"spread\" x1=\"{low:F1}\" y1=\"{mid:F1}\" x2=\"{high:F1}\" y2=\"{mid:F1}\" stroke=\"black\" stroke-width=\"1.5\"/>\n");
                foreach (var x in new[] { low, high })
                    sb.Append(inv, $"<line x1=\"{x:F1}\" y1=\"{y + 8}\" x2=\"{x:F1}\" y2=\"{y + rowHeight - 8}\" stroke=\"black\" stroke-width=\"1.5\"/>\n");
                labelAt = Math.Max(labelAt, high);
                gap += m.GapClosedPerSeed is { } g2 ? $" ({g2.Min() * 100:F1}–{g2.Max() * 100:F1}%)" : "";
            }
            sb.Append(inv, $"<text x=\"{labelAt + 6:F1}\" y=\"{y + 17}\">{m.TaskValLoss:F3}{gap}</text>\n");
        }
        sb.Append("</svg>\n");
        return sb.ToString();
    }
}
