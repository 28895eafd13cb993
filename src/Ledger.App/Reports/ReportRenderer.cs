using System.Text.Json;
using Ledger.App.Rendering;
using Ledger.Core.Events;
using Ledger.Core.Text;
using Markdig;
using Markdig.Extensions.AutoIdentifiers;

namespace Ledger.App.Reports;

/// <summary>Renders the monthly report's model: Markdown and HTML through the templates, or JSON.</summary>
internal static class ReportRenderer
{
    // GitHub's heading ids, so the table of contents' links work in the HTML and on GitHub alike.
    public static readonly MarkdownPipeline Html = new MarkdownPipelineBuilder().UsePipeTables().UseTaskLists().UseAutoIdentifiers(AutoIdentifierOptions.GitHub).Build();

    /// <summary>The report in one format: Markdown from the template, HTML from that Markdown through Markdig, or the model as JSON.</summary>
    public static string Render(Templates templates, MonthlyReportModel model, string format)
    {
        switch (format)
        {
            case "json":
                return RenderText.InertJson(JsonSerializer.Serialize(model with { Charts = new ReportCharts("", "", "") }, EventJson.Indented)) + "\n";
            case "html":
                var markdown = templates.Render(Templates.ReportMarkdown, new Dictionary<string, object?> { ["report"] = model, ["html"] = true });
                var body = Markdown.ToHtml(markdown, Html).Replace("\r\n", "\n", StringComparison.Ordinal);
                return templates.Render(Templates.ReportHtml, new Dictionary<string, object?> { ["report"] = model, ["body"] = body });
            default:
                return templates.Render(Templates.ReportMarkdown, new Dictionary<string, object?> { ["report"] = model, ["html"] = false });
        }
    }

    /// <summary>The relative link prefix from the report's folder to the docs folder ("" when they are the same).</summary>
    public static string DocsLink(string reportDir, string docsDir)
    {
        var relative = Path.GetRelativePath(reportDir, docsDir);
        return relative == "." ? "" : relative.Replace('\\', '/').Replace(" ", "%20", StringComparison.Ordinal) + "/";
    }
}
