using System.Text.Json;
using Ledger.Core.Errors;
using Ledger.Core.Validation;

namespace Ledger.App.Daemon;

/// <summary>
/// Reads serve.json strictly, like checks.json: comments and trailing commas are allowed, and a
/// wrong or unknown field is an error naming it (with the field it probably meant).
/// </summary>
internal static class ServeSettingsReader
{
    public const int MaxShutdownSeconds = 600;

    private static readonly string[] Fields = ["listen", "tokenFile", "maxBodyBytes", "host", "repo", "checks", "logFile", "shutdownSeconds", "intervals", "grafana"];

    private static readonly string[] GrafanaFields = ["url", "tokenFile", "dashboardUid"];

    private static readonly JsonDocumentOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>The settings in <paramref name="path"/>; the defaults when it does not exist and was not asked for by name.</summary>
    public static ServeSettings Load(string path, bool mustExist)
    {
        if (!File.Exists(path))
        {
            return mustExist
                ? throw new LedgerException($"There is no serve configuration at {path}. Leave --config out to use the defaults, or write the file (see docs/operations.md, \"The daemon\").")
                : new ServeSettings();
        }

        return Parse(File.ReadAllText(path), path);
    }

    public static ServeSettings Parse(string json, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, Options);
        }
        catch (JsonException e)
        {
            throw new LedgerException($"{source}: not valid JSON at line {e.LineNumber + 1}: {e.Message}", ExitCodes.UsageOrEnvironment, e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new LedgerException($"{source}: expected an object such as {{\"listen\": \"{ServeSettings.DefaultListen}\"}}.");
            }

            var s = new ServeSettings();
            foreach (var p in root.EnumerateObject())
            {
                var at = $"{source}: {p.Name}";
                s = p.Name switch
                {
                    "listen" => s with { Listen = Text(p.Value, at) },
                    "tokenFile" => s with { TokenFile = OptionalText(p.Value, at) },
                    "maxBodyBytes" => s with { MaxBodyBytes = Whole(p.Value, at, min: 1024) },
                    "host" => s with { Host = OptionalText(p.Value, at) },
                    "repo" => s with { Repo = Text(p.Value, at) },
                    "checks" => s with { Checks = OptionalText(p.Value, at) },
                    "logFile" => s with { LogFile = OptionalText(p.Value, at) },
                    "shutdownSeconds" => s with { ShutdownSeconds = (int)Whole(p.Value, at, min: 1, max: MaxShutdownSeconds) },
                    "intervals" => s with { Intervals = ReadIntervals(p.Value, at) },
                    "grafana" => s with { Grafana = ReadGrafana(p.Value, at) },
                    _ => throw Unknown(at, p.Name, Fields),
                };
            }

            return s;
        }
    }

    /// <summary>One <c>--every NAME=SECONDS</c>.</summary>
    public static ServeIntervals ApplyEvery(ServeIntervals intervals, string argument)
    {
        var eq = argument.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0 || !int.TryParse(argument.AsSpan(eq + 1), out var seconds) || seconds < 0)
        {
            throw new LedgerException($"--every {argument}: expected NAME=SECONDS with SECONDS 0 (off) or more, e.g. --every gpu=60.");
        }

        var name = argument[..eq];
        if (!ServeIntervals.Names.Contains(name, StringComparer.Ordinal))
        {
            throw Unknown($"--every {argument}", name, ServeIntervals.Names);
        }

        return intervals.With(name, seconds);
    }

    private static ServeIntervals ReadIntervals(JsonElement value, string at)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new LedgerException($"{at}: expected an object of seconds, e.g. {{\"gpu\": 300, \"storage\": 3600}} (0 turns one off).");
        }

        var intervals = new ServeIntervals();
        foreach (var p in value.EnumerateObject())
        {
            if (!ServeIntervals.Names.Contains(p.Name, StringComparer.Ordinal))
            {
                throw Unknown($"{at}.{p.Name}", p.Name, ServeIntervals.Names);
            }

            intervals = intervals.With(p.Name, (int)Whole(p.Value, $"{at}.{p.Name}", min: 0, max: int.MaxValue));
        }

        return intervals;
    }

    private static GrafanaSettings? ReadGrafana(JsonElement value, string at)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new LedgerException($"{at}: expected {{\"url\": \"http://127.0.0.1:3000\", \"tokenFile\": \"/run/secrets/grafana-token\"}}.");
        }

        string? url = null, tokenFile = null, dashboard = null;
        foreach (var p in value.EnumerateObject())
        {
            var field = $"{at}.{p.Name}";
            switch (p.Name)
            {
                case "url":
                    url = Text(p.Value, field);
                    break;
                case "tokenFile":
                    tokenFile = Text(p.Value, field);
                    break;
                case "dashboardUid":
                    dashboard = OptionalText(p.Value, field);
                    break;
                default:
                    throw Unknown(field, p.Name, GrafanaFields);
            }
        }

        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new LedgerException($"{at}.url: Grafana's base URL is required, e.g. \"http://127.0.0.1:3000\".");
        }

        if (tokenFile is null)
        {
            throw new LedgerException($"{at}.tokenFile: required; a file holding a Grafana service-account token with the annotations:write permission.");
        }

        return new GrafanaSettings(uri, tokenFile, dashboard);
    }

    private static string Text(JsonElement value, string at) =>
        value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } s
            ? s
            : throw new LedgerException($"{at}: expected a non-empty string.");

    private static string? OptionalText(JsonElement value, string at) =>
        value.ValueKind == JsonValueKind.Null ? null : Text(value, at);

    private static long Whole(JsonElement value, string at, long min, long max = long.MaxValue) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) && n >= min && n <= max
            ? n
            : throw new LedgerException($"{at}: expected a whole number from {min}{(max == long.MaxValue || max == int.MaxValue ? " up" : $" to {max}")}.");

    private static LedgerException Unknown(string at, string name, IEnumerable<string> known)
    {
        var suggestion = NearestName.Suggest(name, known);
        return new LedgerException(
            $"{at}: unknown field" + (suggestion is null ? "" : $"; did you mean \"{suggestion}\"?") + $" Known: {string.Join(", ", known)}.");
    }
}
