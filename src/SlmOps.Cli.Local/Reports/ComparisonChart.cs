using System.Globalization;
using System.Security;
using System.Text;
using SlmOps.Modeling.Evaluation;

namespace SlmOps.Cli.Local.Reports;

/// <summary>An SVG bar chart: task validation loss per method, labelled with the share of the gap it closes.</summary>
public static class ComparisonChart
{
    public static string Svg(MethodComparisonReport report)
    {
        const int rowHeight = 28, left = 130, barMax = 420, top = 40;
        var methods = report.Methods;
        var max = methods.Max(m => m.TaskValLoss);
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{left + barMax + 160}\" height=\"{top + rowHeight * methods.Count + 20}\" font-family=\"sans-serif\" font-size=\"13\">\n");
        sb.Append(inv, $"<text x=\"10\" y=\"22\" font-size=\"15\">Task validation loss per method ({SecurityElement.Escape(report.Device)})</text>\n");
        for (var i = 0; i < methods.Count; i++)
        {
            var m = methods[i];
            var y = top + i * rowHeight;
            var width = max > 0 ? barMax * m.TaskValLoss / max : 0;
            var colour = m.Method.StartsWith("slm-", StringComparison.Ordinal) && m.Method != "slm-alone" ? "#2a7ab9" : "#999999";
            var gap = m.GapClosed is { } g ? $", gap closed {g * 100:F1}%" : "";
            sb.Append(inv, $"<text x=\"10\" y=\"{y + 17}\">{SecurityElement.Escape(m.Method)}</text>\n");
            sb.Append(inv, $"<rect x=\"{left}\" y=\"{y + 4}\" width=\"{width:F1}\" height=\"{rowHeight - 8}\" fill=\"{colour}\"/>\n");
            sb.Append(inv, $"<text x=\"{left + width + 6:F1}\" y=\"{y + 17}\">{m.TaskValLoss:F3}{gap}</text>\n");
        }
        sb.Append("</svg>\n");
        return sb.ToString();
    }
}
