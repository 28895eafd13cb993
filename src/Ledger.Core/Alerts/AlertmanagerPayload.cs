using System.Text.Json;

namespace Ledger.Core.Alerts;

/// <summary>
/// Reads the body Alertmanager POSTs to a webhook receiver (payload version 4). The whole body is
/// checked before anything is returned, so a caller that appends only after <see cref="Parse"/>
/// succeeded stores all of a notification or none of it. Fields Ledger does not use (groupKey,
/// receiver, groupLabels, ...) are not checked.
/// </summary>
public static class AlertmanagerPayload
{
    public const string SupportedVersion = "4";

    /// <summary>The alerts of a notification, in the order sent; throws <see cref="AlertPayloadException"/> naming the first problem.</summary>
    public static IReadOnlyList<AlertNotice> Parse(ReadOnlyMemory<byte> body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw new AlertPayloadException($"The body is not JSON: {e.Message}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new AlertPayloadException($"Expected a JSON object (an Alertmanager webhook notification), got {Describe(root)}.");
            }

            if (!root.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.String)
            {
                throw new AlertPayloadException("version: missing; an Alertmanager webhook notification has \"version\": \"4\".");
            }

            if (version.GetString() != SupportedVersion)
            {
                throw new AlertPayloadException($"version: \"{version.GetString()}\" is not supported; Ledger reads webhook payload version {SupportedVersion}.");
            }

            if (!root.TryGetProperty("alerts", out var alerts) || alerts.ValueKind != JsonValueKind.Array)
            {
                throw new AlertPayloadException("alerts: missing or not an array.");
            }

            var result = new List<AlertNotice>(alerts.GetArrayLength());
            var i = 0;
            foreach (var alert in alerts.EnumerateArray())
            {
                result.Add(ReadAlert(alert, $"alerts[{i}]"));
                i++;
            }

            return result;
        }
    }

    private static AlertNotice ReadAlert(JsonElement alert, string at)
    {
        if (alert.ValueKind != JsonValueKind.Object)
        {
            throw new AlertPayloadException($"{at}: expected an object, got {Describe(alert)}.");
        }

        var status = RequiredString(alert, "status", at);
        var state = status switch
        {
            "firing" => AlertState.Firing,
            "resolved" => AlertState.Resolved,
            _ => throw new AlertPayloadException($"{at}.status: \"{status}\" is neither \"firing\" nor \"resolved\"."),
        };

        var labels = StringMap(alert, "labels", at, required: true);
        if (!labels.TryGetValue("alertname", out var name) || string.IsNullOrWhiteSpace(name))
        {
            throw new AlertPayloadException($"{at}.labels: no \"alertname\" label.");
        }

        var annotations = StringMap(alert, "annotations", at, required: false);
        var fingerprint = RequiredString(alert, "fingerprint", at);
        if (string.IsNullOrWhiteSpace(fingerprint))
        {
            throw new AlertPayloadException($"{at}.fingerprint: empty.");
        }

        var startsAt = Timestamp(alert, "startsAt", at) ?? throw new AlertPayloadException($"{at}.startsAt: the zero time; a notified alert has started.");
        DateTimeOffset? endsAt = null;
        if (state == AlertState.Resolved)
        {
            endsAt = Timestamp(alert, "endsAt", at) ?? throw new AlertPayloadException($"{at}.endsAt: a resolved alert needs the time it ended, not the zero time.");
        }

        string? generatorUrl = null;
        if (alert.TryGetProperty("generatorURL", out var url))
        {
            generatorUrl = url.ValueKind switch
            {
                JsonValueKind.String => url.GetString() is { Length: > 0 } u ? u : null,
                JsonValueKind.Null => null,
                _ => throw new AlertPayloadException($"{at}.generatorURL: expected a string, got {Describe(url)}."),
            };
        }

        return new AlertNotice(state, name, fingerprint, startsAt, endsAt, labels, annotations, generatorUrl);
    }

    private static string RequiredString(JsonElement obj, string name, string at)
    {
        if (!obj.TryGetProperty(name, out var value))
        {
            throw new AlertPayloadException($"{at}.{name}: missing.");
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new AlertPayloadException($"{at}.{name}: expected a string, got {Describe(value)}.");
    }

    private static Dictionary<string, string> StringMap(JsonElement obj, string name, string at, bool required)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return required ? throw new AlertPayloadException($"{at}.{name}: missing.") : map;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new AlertPayloadException($"{at}.{name}: expected an object of strings, got {Describe(value)}.");
        }

        foreach (var p in value.EnumerateObject())
        {
            if (p.Value.ValueKind != JsonValueKind.String)
            {
                throw new AlertPayloadException($"{at}.{name}.{p.Name}: expected a string, got {Describe(p.Value)}.");
            }

            // Keys are kept exactly as sent; a repeated key keeps its last value, as Go's decoder does.
            map[p.Name] = p.Value.GetString()!;
        }

        return map;
    }

    /// <summary>An RFC 3339 timestamp, or null for Go's zero time (0001-01-01T00:00:00Z), which Alertmanager sends for "not set".</summary>
    private static DateTimeOffset? Timestamp(JsonElement obj, string name, string at)
    {
        var text = RequiredString(obj, name, at);
        if (!obj.GetProperty(name).TryGetDateTimeOffset(out var value))
        {
            throw new AlertPayloadException($"{at}.{name}: \"{text}\" is not an RFC 3339 timestamp.");
        }

        return value.UtcDateTime.Year <= 1 ? null : value;
    }

    private static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => e.ValueKind.ToString(),
    };
}
