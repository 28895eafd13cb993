using System.Globalization;
using System.Text;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Ledger.App.ChangeDocs;

/// <summary>One change entry read from a hand-written doc: a <c>###</c> title and its labelled list.</summary>
internal sealed record ParsedChangeDoc(string File, int Line, string Title, DateOnly Date, string Purpose, string Files, string RollBack, string Validation, string Notes);

/// <summary>An entry that could not be read, and why.</summary>
internal sealed record DocProblem(string File, int Line, string Message);

/// <summary>
/// Reads change docs in the runbook's template with Markdig: every <c>###</c> heading starts an
/// entry, and the list below it must carry all six labels (in any case, with or without the colon
/// inside the bold). An entry that lacks a label or has no YYYY-MM-DD date is a problem to report;
/// nothing is filled in by guessing.
/// </summary>
internal static class ChangeDocParser
{
    public static readonly string[] Labels = ["Date", "Purpose", "Files/Lines Modified", "How to Roll Back", "Validation", "Notes"];

    public static (IReadOnlyList<ParsedChangeDoc> Docs, IReadOnlyList<DocProblem> Problems) Parse(string file, string markdown)
    {
        var document = Markdown.Parse(markdown);
        var docs = new List<ParsedChangeDoc>();
        var problems = new List<DocProblem>();
        HeadingBlock? heading = null;
        Dictionary<string, string>? fields = null;

        void Finish()
        {
            if (heading is null || fields is null)
            {
                return;
            }

            var line = heading.Line + 1;
            var title = InlineText(heading.Inline).Trim();
            var missing = Labels.Where(l => !fields.ContainsKey(l)).ToArray();
            if (title.Length == 0)
            {
                problems.Add(new DocProblem(file, line, "the ### heading has no title"));
            }
            else if (missing.Length > 0)
            {
                problems.Add(new DocProblem(file, line, $"'{title}' lacks {string.Join(", ", missing.Select(m => $"**{m}**:"))}"));
            }
            else if (!DateOnly.TryParseExact(fields["Date"].Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                problems.Add(new DocProblem(file, line, $"'{title}': Date '{fields["Date"].Trim()}' is not YYYY-MM-DD"));
            }
            else
            {
                docs.Add(new ParsedChangeDoc(file, line, title, date, fields["Purpose"], fields["Files/Lines Modified"], fields["How to Roll Back"], fields["Validation"], fields["Notes"]));
            }
        }

        foreach (var block in document)
        {
            if (block is HeadingBlock { Level: 3 } h)
            {
                Finish();
                heading = h;
                fields = new Dictionary<string, string>(StringComparer.Ordinal);
            }
            else if (block is HeadingBlock { Level: < 3 })
            {
                // A higher heading ends the entry (a CHANGELOG-style file with sections).
                Finish();
                heading = null;
                fields = null;
            }
            else if (block is ListBlock list && fields is not null)
            {
                foreach (var item in list.OfType<ListItemBlock>())
                {
                    if (Labelled(item) is { } field)
                    {
                        fields.TryAdd(field.Label, field.Value);
                    }
                }
            }
        }

        Finish();
        if (docs.Count == 0 && problems.Count == 0)
        {
            problems.Add(new DocProblem(file, 1, "no change entry (a ### title followed by the labelled list) found"));
        }

        return (docs, problems);
    }

    private static (string Label, string Value)? Labelled(ListItemBlock item)
    {
        if (item.FirstOrDefault() is not ParagraphBlock { Inline: { } inline } || inline.FirstChild is not EmphasisInline { DelimiterCount: 2 } strong)
        {
            return null;
        }

        var label = InlineText(strong).Trim().TrimEnd(':').Trim();
        var known = Labels.FirstOrDefault(l => string.Equals(l, label, StringComparison.OrdinalIgnoreCase));
        if (known is null)
        {
            return null;
        }

        var value = new StringBuilder();
        for (var node = strong.NextSibling; node is not null; node = node.NextSibling)
        {
            value.Append(InlineText(node));
        }

        var text = value.ToString().TrimStart().TrimStart(':').Trim();
        foreach (var nested in item.Skip(1))
        {
            text += "\n" + BlockText(nested).Trim();
        }

        return (known, text.Trim());
    }

    private static string BlockText(Block block) => block switch
    {
        ParagraphBlock p => InlineText(p.Inline),
        LeafBlock leaf => leaf.Lines.ToString(),
        ContainerBlock container => string.Join("\n", container.Select(b => (b is ListItemBlock ? "- " : "") + BlockText(b).Trim())),
        _ => "",
    };

    private static string InlineText(Inline? inline) => inline switch
    {
        null => "",
        LiteralInline l => l.Content.ToString(),
        CodeInline c => c.Content,
        LineBreakInline => "\n",
        AutolinkInline a => a.Url,
        HtmlInline h => h.Tag,
        HtmlEntityInline e => e.Transcoded.ToString(),
        ContainerInline c => string.Concat(c.Select(InlineText)),
        _ => "",
    };
}
