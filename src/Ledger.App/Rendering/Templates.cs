using System.Globalization;
using System.Reflection;
using System.Text;
using Fluid;
using Fluid.Values;
using Ledger.Core.Errors;
using Ledger.Core.Text;

namespace Ledger.App.Rendering;

/// <summary>
/// The Liquid templates of projections/, embedded in the binary; <c>--templates DIR</c> puts a file of
/// the same name in DIR in place of the embedded one. Models reach templates with camelCase member
/// names; output is not HTML-encoded (the templates write Markdown): recorded text goes through
/// the filters md, md_line, code and html (<see cref="RenderText"/>), counts through plural, and line endings are LF.
/// </summary>
internal sealed class Templates
{
    public const string ChangeDoc = "change-doc.md.liquid";
    public const string Index = "index.md.liquid";
    public const string ReportMarkdown = "report-monthly.md.liquid";
    public const string ReportHtml = "report-monthly.html.liquid";

    public static readonly string[] Names = [ChangeDoc, Index, ReportMarkdown, ReportHtml];

    private static readonly FluidParser Parser = new();
    private readonly Dictionary<string, IFluidTemplate> _parsed = new(StringComparer.Ordinal);
    private readonly string? _overrides;
    private readonly TemplateOptions _options;

    public Templates(string? overrideDirectory)
    {
        if (overrideDirectory is not null && !Directory.Exists(overrideDirectory))
        {
            throw new LedgerException($"--templates {overrideDirectory}: no such directory. It should hold some of: {string.Join(", ", Names)}.");
        }

        _overrides = overrideDirectory;
        _options = new TemplateOptions { CultureInfo = CultureInfo.InvariantCulture, MemberAccessStrategy = new UnsafeMemberAccessStrategy { MemberNameStrategy = MemberNameStrategies.CamelCase } };
        // The only way recorded text reaches a rendered file: through one of these (Ledger.Core.Text.RenderText).
        _options.Filters.AddFilter("md", (input, _, _) => new StringValue(RenderText.Markdown(input.ToStringValue())));
        _options.Filters.AddFilter("md_line", (input, _, _) => new StringValue(RenderText.MarkdownLine(input.ToStringValue())));
        _options.Filters.AddFilter("code", (input, _, _) => new StringValue(RenderText.MarkdownCode(input.ToStringValue())));
        _options.Filters.AddFilter("html", (input, _, _) => new StringValue(RenderText.Html(input.ToStringValue())));
        // {{ n | plural: "change" }} -> "1 change", "2 changes" (Plural.Of; a second argument is an irregular plural).
        _options.Filters.AddFilter("plural", (input, args, _) =>
            new StringValue(Plural.Of((long)input.ToNumberValue(), args.At(0).ToStringValue(), args.Count > 1 ? args.At(1).ToStringValue() : null)));
        _options.Filters.AddFilter("indent", (input, args, _) =>
            new StringValue(RenderText.IndentContinuation(input.ToStringValue(), (int)args.At(0).ToNumberValue())));
    }

    /// <summary>Where a template comes from, for messages.</summary>
    public string SourceOf(string name) =>
        _overrides is not null && File.Exists(Path.Combine(_overrides, name)) ? Path.Combine(_overrides, name) : $"embedded {name}";

    /// <summary>Renders <paramref name="name"/> with the given variables.</summary>
    public string Render(string name, IReadOnlyDictionary<string, object?> model)
    {
        var template = Get(name);
        var context = new TemplateContext(_options);
        foreach (var (key, value) in model)
        {
            context.SetValue(key, value);
        }

        var text = template.Render(context, NullEncoder.Default);
        text = text.Contains('\r', StringComparison.Ordinal) ? text.Replace("\r\n", "\n", StringComparison.Ordinal) : text;

        // A field a template (perhaps an admin's --templates override) printed without a filter still cannot carry a control character.
        return RenderText.InertOutput(text);
    }

    /// <summary>The embedded text of a template (what <c>--templates</c> files start from).</summary>
    public static string Embedded(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("projections/" + name)
            ?? throw new InvalidOperationException($"The template {name} is not embedded in this build.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private IFluidTemplate Get(string name)
    {
        if (_parsed.TryGetValue(name, out var cached))
        {
            return cached;
        }

        var source = SourceOf(name);
        var text = _overrides is not null && File.Exists(Path.Combine(_overrides, name))
            ? File.ReadAllText(Path.Combine(_overrides, name))
            : Embedded(name);
        if (!Parser.TryParse(text, out var template, out var error))
        {
            throw new LedgerException($"The template {source} does not parse: {error}");
        }

        _parsed[name] = template;
        return template;
    }
}
