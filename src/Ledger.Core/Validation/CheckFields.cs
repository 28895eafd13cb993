using System.Text.Json;
using Ledger.Core.Errors;

namespace Ledger.Core.Validation;

/// <summary>
/// The fields of one checklist entry, read with messages that name the source, the check and
/// the field, and say what was expected instead.
/// </summary>
internal sealed class CheckFields
{
    private readonly Dictionary<string, JsonElement> _fields;

    public CheckFields(JsonElement element, string where)
    {
        Where = where;
        _fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            // JsonDocument keeps duplicates and returns the last one; a repeated key is almost
            // always a paste error, so it is named instead of one value silently winning.
            if (!_fields.TryAdd(property.Name, property.Value))
            {
                throw Fail($"field \"{property.Name}\" appears more than once");
            }
        }
    }

    /// <summary>Where the fields come from, e.g. <c>checks.json: check #3 "grafana"</c>.</summary>
    public string Where { get; private set; }

    public IEnumerable<string> Names => _fields.Keys;

    public void NameCheck(string name) => Where = $"{Where} \"{name}\"";

    public LedgerException Fail(string problem) => new($"{Where}: {problem}");

    public string RequiredString(string field, string what = "a non-empty string")
    {
        if (!_fields.TryGetValue(field, out var value))
        {
            throw Fail($"missing required field \"{field}\" ({what})");
        }

        return NonEmptyString(field, value, what);
    }

    public string? OptionalString(string field, string what = "a non-empty string") =>
        TryGet(field, out var value) ? NonEmptyString(field, value, what) : null;

    public int OptionalInt(string field, int defaultValue, int min, int max)
    {
        if (!TryGet(field, out var value))
        {
            return defaultValue;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number))
        {
            throw Fail($"field \"{field}\" must be an integer (got {Describe(value)})");
        }

        if (number < min || number > max)
        {
            throw Fail($"field \"{field}\" must be an integer from {min} to {max} (got {number})");
        }

        return number;
    }

    public double RequiredNumber(string field, double min, double max)
    {
        if (!_fields.ContainsKey(field))
        {
            throw Fail($"missing required field \"{field}\" (a number from {min} to {max})");
        }

        return OptionalNumber(field, min, max) ?? throw Fail($"field \"{field}\" must be a number from {min} to {max} (got null)");
    }

    public double? OptionalNumber(string field, double min, double max)
    {
        if (!TryGet(field, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number))
        {
            throw Fail($"field \"{field}\" must be a number (got {Describe(value)})");
        }

        if (number < min || number > max)
        {
            throw Fail($"field \"{field}\" must be a number from {min} to {max} (got {Describe(value)})");
        }

        return number;
    }

    /// <summary>An array of non-empty strings; <c>null</c> when the field is absent.</summary>
    public IReadOnlyList<string>? OptionalStringArray(string field)
    {
        if (!TryGet(field, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Fail($"field \"{field}\" must be an array of strings (got {Describe(value)})");
        }

        var items = new List<string>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            index++;
            if (item.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(item.GetString()))
            {
                throw Fail($"field \"{field}\" item #{index} must be a non-empty string (got {Describe(item)})");
            }

            items.Add(item.GetString()!);
        }

        return items;
    }

    public IReadOnlyList<string> RequiredStringArray(string field, string what)
    {
        if (!_fields.ContainsKey(field))
        {
            throw Fail($"missing required field \"{field}\" ({what})");
        }

        var items = OptionalStringArray(field) ?? throw Fail($"field \"{field}\" must be {what} (got null)");
        if (items.Count == 0)
        {
            throw Fail($"field \"{field}\" must not be empty ({what})");
        }

        return items;
    }

    public Uri RequiredHttpUrl(string field)
    {
        const string What = "an http:// or https:// URL, e.g. \"http://127.0.0.1:3000/api/health\"";
        var text = RequiredString(field, What);
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw Fail($"field \"{field}\" must be {What} (got {Quote(text)})");
        }

        return url;
    }

    public string AbsolutePath(string field, string? defaultValue)
    {
        const string What = "an absolute path, e.g. \"/etc/nixos\"";
        var path = defaultValue is null ? RequiredString(field, What) : OptionalString(field, What) ?? defaultValue;
        if (!Path.IsPathFullyQualified(path))
        {
            throw Fail($"field \"{field}\" must be {What} (got {Quote(path)})");
        }

        return path;
    }

    public T RequiredChoice<T>(string field, IReadOnlyDictionary<string, T> choices)
    {
        var what = "one of " + string.Join(", ", choices.Keys.Select(Quote));
        var text = RequiredString(field, what);
        return choices.TryGetValue(text, out var choice) ? choice : throw Fail($"field \"{field}\" must be {what} (got {Quote(text)})");
    }

    /// <summary>The value as it was written, shortened: <c>"ok"</c>, <c>12.5</c>, <c>[1,2]</c>.</summary>
    public static string Describe(JsonElement value)
    {
        var raw = value.GetRawText();
        return raw.Length <= 60 ? raw : raw[..57] + "...";
    }

    public static string Quote(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    // An explicit null means "not set" for an optional field.
    private bool TryGet(string field, out JsonElement value) =>
        _fields.TryGetValue(field, out value) && value.ValueKind != JsonValueKind.Null;

    private string NonEmptyString(string field, JsonElement value, string what)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            throw Fail($"field \"{field}\" must be {what} (got {Describe(value)})");
        }

        var text = value.GetString()!;
        return string.IsNullOrWhiteSpace(text) ? throw Fail($"field \"{field}\" must be {what} (got {Describe(value)})") : text;
    }
}
