using System.Text.Json;
using Ledger.Core.Errors;

namespace Ledger.Core.Validation;

/// <summary>Reads checks.json strictly: every wrong, missing or unknown field is an error that names it.</summary>
internal static class ChecklistReader
{
    private const string Checks = "checks";

    private static readonly string[] CommonFields = ["name", "kind", "timeoutSeconds"];

    private static readonly Dictionary<string, string[]> KindFields = new(StringComparer.Ordinal)
    {
        [CheckKinds.NixosRebuild] = ["mode", "flake", "repo"],
        [CheckKinds.Containers] = ["expected", "maxRestarts"],
        [CheckKinds.Gpu] = ["minUtilizationPercent"],
        [CheckKinds.PrometheusTargets] = ["url"],
        [CheckKinds.Http] = ["url", "expectStatus", "contains"],
        [CheckKinds.Disk] = ["mount", "maxUsedPercent"],
        [CheckKinds.Systemd] = ["unit"],
        [CheckKinds.DocHeaders] = ["root", "globs", "exclude"],
    };

    private static readonly Dictionary<string, NixosRebuildMode> Modes = new(StringComparer.Ordinal)
    {
        ["test"] = NixosRebuildMode.Test,
        ["dry-build"] = NixosRebuildMode.DryBuild,
        ["build"] = NixosRebuildMode.Build,
    };

    // checks.json is a config file too: comments let it carry the header the runbook asks for.
    private static readonly JsonDocumentOptions Options = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static Checklist Read(string json, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentException.ThrowIfNullOrEmpty(sourceName);

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, Options);
        }
        catch (JsonException ex)
        {
            throw new LedgerException(
                $"{sourceName}: not valid JSON at line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}: {WithoutPosition(ex.Message)}",
                ExitCodes.UsageOrEnvironment,
                ex);
        }

        using (document)
        {
            return new Checklist(sourceName, ReadChecks(document.RootElement, sourceName));
        }
    }

    private static List<CheckDefinition> ReadChecks(JsonElement root, string source)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new LedgerException($"{source}: the top level must be an object like {{ \"checks\": [ ... ] }} (got {CheckFields.Describe(root)})");
        }

        foreach (var property in root.EnumerateObject())
        {
            if (property.Name != Checks)
            {
                throw new LedgerException($"{source}: unknown top-level field \"{property.Name}\"{DidYouMean(property.Name, [Checks])}; the only top-level field is \"checks\"");
            }
        }

        if (!root.TryGetProperty(Checks, out var array))
        {
            throw new LedgerException($"{source}: missing required field \"checks\" (an array of checks)");
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            throw new LedgerException($"{source}: field \"checks\" must be an array of checks (got {CheckFields.Describe(array)})");
        }

        if (array.GetArrayLength() == 0)
        {
            throw new LedgerException($"{source}: field \"checks\" is empty; list at least one check");
        }

        var checks = new List<CheckDefinition>();
        var firstIndexByName = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var index = 0;
        foreach (var element in array.EnumerateArray())
        {
            index++;
            var check = ReadCheck(element, source, index);
            if (!firstIndexByName.TryAdd(check.Name, index))
            {
                throw new LedgerException(
                    $"{source}: check #{index} \"{check.Name}\": field \"name\" must be unique, but check #{firstIndexByName[check.Name]} has the same name (names are compared ignoring case)");
            }

            checks.Add(check);
        }

        return checks;
    }

    private static CheckDefinition ReadCheck(JsonElement element, string source, int index)
    {
        var where = $"{source}: check #{index}";
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new LedgerException($"{where}: must be an object with \"name\" and \"kind\" (got {CheckFields.Describe(element)})");
        }

        var fields = new CheckFields(element, where);
        var name = fields.RequiredString("name", "a non-empty string, unique in the list");
        if (name != name.Trim() || name.Any(char.IsControl))
        {
            throw fields.Fail($"field \"name\" must not start or end with spaces or contain line breaks (got {CheckFields.Quote(name)})");
        }

        fields.NameCheck(name);
        var kind = fields.RequiredString("kind", "one of " + string.Join(", ", CheckKinds.All));
        if (!KindFields.TryGetValue(kind, out var kindFields))
        {
            throw fields.Fail($"unknown kind {CheckFields.Quote(kind)}{DidYouMean(kind, CheckKinds.All)}; kinds are: {string.Join(", ", CheckKinds.All)}");
        }

        string[] allowed = [.. CommonFields, .. kindFields];
        foreach (var field in fields.Names)
        {
            if (!allowed.Contains(field, StringComparer.Ordinal))
            {
                throw fields.Fail($"unknown field \"{field}\" for kind \"{kind}\"{DidYouMean(field, allowed)}; its fields are: {string.Join(", ", allowed)}");
            }
        }

        var defaultSeconds = (int)Checklist.DefaultTimeout(kind).TotalSeconds;
        var timeout = TimeSpan.FromSeconds(fields.OptionalInt("timeoutSeconds", defaultSeconds, min: 1, max: 24 * 60 * 60));

        return kind switch
        {
            CheckKinds.NixosRebuild => new NixosRebuildCheck(
                name,
                timeout,
                fields.RequiredChoice("mode", Modes),
                fields.OptionalString("flake", "a non-empty string, e.g. \".#mediabox\""),
                fields.AbsolutePath("repo", NixosRebuildCheck.DefaultRepo)),
            CheckKinds.Containers => new ContainersCheck(
                name,
                timeout,
                fields.RequiredStringArray("expected", "an array of container names, e.g. [\"jellyfin\"]"),
                fields.OptionalInt("maxRestarts", ContainersCheck.DefaultMaxRestarts, min: 0, max: int.MaxValue)),
            CheckKinds.Gpu => new GpuCheck(name, timeout, fields.OptionalNumber("minUtilizationPercent", 0, 100)),
            CheckKinds.PrometheusTargets => new PrometheusTargetsCheck(name, timeout, fields.RequiredHttpUrl("url")),
            CheckKinds.Http => new HttpCheck(
                name,
                timeout,
                fields.RequiredHttpUrl("url"),
                fields.OptionalInt("expectStatus", HttpCheck.DefaultExpectStatus, min: 100, max: 599),
                fields.OptionalString("contains")),
            CheckKinds.Disk => new DiskCheck(name, timeout, fields.AbsolutePath("mount", null), fields.RequiredNumber("maxUsedPercent", 0, 100)),
            CheckKinds.Systemd => new SystemdCheck(name, timeout, Unit(fields)),
            CheckKinds.DocHeaders => new DocHeadersCheck(
                name,
                timeout,
                fields.AbsolutePath("root", null),
                RelativePatterns(fields, "globs", fields.RequiredStringArray("globs", "an array of patterns, e.g. [\"**/*.nix\"]")),
                RelativePatterns(fields, "exclude", fields.OptionalStringArray("exclude") ?? [])),
            _ => throw new InvalidOperationException($"Kind {kind} has fields but no reader."),
        };
    }

    private static string Unit(CheckFields fields)
    {
        var unit = fields.RequiredString("unit", "a unit name, e.g. \"prometheus.service\"");
        // A leading dash would be read by systemctl as an option.
        return unit.StartsWith('-') || unit.Any(char.IsWhiteSpace)
            ? throw fields.Fail($"field \"unit\" must be a unit name, e.g. \"prometheus.service\" (got {CheckFields.Quote(unit)})")
            : unit;
    }

    private static IReadOnlyList<string> RelativePatterns(CheckFields fields, string field, IReadOnlyList<string> patterns)
    {
        for (var i = 0; i < patterns.Count; i++)
        {
            // Patterns match paths relative to "root"; an absolute one would silently match nothing.
            if (patterns[i].StartsWith('/'))
            {
                throw fields.Fail($"field \"{field}\" item #{i + 1} must be relative to \"root\", e.g. \"**/*.nix\" (got {CheckFields.Quote(patterns[i])})");
            }
        }

        return patterns;
    }

    private static string DidYouMean(string typed, IEnumerable<string> names) =>
        NearestName.Suggest(typed, names) is { } suggestion ? $" (did you mean \"{suggestion}\"?)" : "";

    // JsonException ends with " LineNumber: 2 | BytePositionInLine: 4."; the position is given once, 1-based.
    private static string WithoutPosition(string message)
    {
        var at = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return at < 0 ? message : message[..at];
    }
}
