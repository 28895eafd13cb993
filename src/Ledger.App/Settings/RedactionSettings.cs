using Ledger.Core.Errors;
using Ledger.Core.Text;

namespace Ledger.App.Settings;

/// <summary>The admin's own redaction rules, read once per process before anything is read, stored or logged.</summary>
internal static class RedactionSettings
{
    /// <summary>
    /// Adds the admin's patterns from $LEDGER_HOME/redact.json (<c>{"patterns": ["regex", ...]}</c>)
    /// to the built-in redaction rules, before anything is read, stored or logged.
    /// </summary>
    public static void Apply(string home)
    {
        var file = Path.Combine(home, "redact.json");
        if (!File.Exists(file))
        {
            return;
        }

        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(file));
            if (!doc.RootElement.TryGetProperty("patterns", out var patterns) || patterns.ValueKind != System.Text.Json.JsonValueKind.Array
                || patterns.EnumerateArray().Any(p => p.ValueKind != System.Text.Json.JsonValueKind.String))
            {
                throw new LedgerException($"{file} must look like {{\"patterns\": [\"regex\", ...]}}.");
            }

            Redactor.Configure(patterns.EnumerateArray().Select(p => p.GetString()!).ToArray());
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new LedgerException($"{file} is not valid JSON: {e.Message}");
        }
        catch (ArgumentException e)
        {
            throw new LedgerException($"{file} holds a pattern that is not a valid regular expression: {e.Message}");
        }
    }
}
