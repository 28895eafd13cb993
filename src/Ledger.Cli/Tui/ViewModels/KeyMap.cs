using System.Text.Json;
using Ledger.Core.Errors;

namespace Ledger.Cli.Tui.ViewModels;

/// <summary>
/// Which key does what. Keys are named as typed (<c>"R"</c>, <c>"/"</c>, <c>"?"</c>) or by name
/// (<c>Enter</c>, <c>Esc</c>, <c>CursorDown</c>, <c>PageUp</c>, <c>Home</c>, <c>End</c>).
/// $LEDGER_HOME/tui-keys.json rebinds actions: <c>{"restore": ["X"], "down": ["j", "CursorDown"]}</c>;
/// an action named there loses its default keys.
/// </summary>
internal sealed class KeyMap
{
    public const string FileName = "tui-keys.json";

    private static readonly (TuiAction Action, string[] Keys, string Help)[] Defaults =
    [
        (TuiAction.Help, ["?", "F1"], "this help"),
        (TuiAction.Filter, ["/"], "filter: text, kind:K host:H since:DATE until:DATE"),
        (TuiAction.NextMatch, ["n"], "next row whose title shows the filter text"),
        (TuiAction.PreviousMatch, ["N"], "previous match"),
        (TuiAction.CommandLine, [":"], "command line: restore SEQ, q"),
        (TuiAction.Details, ["Enter"], "details of the selected event"),
        (TuiAction.Back, ["Esc"], "back; on the timeline, clear the filter"),
        (TuiAction.Down, ["j", "CursorDown"], "down"),
        (TuiAction.Up, ["k", "CursorUp"], "up"),
        (TuiAction.PageDown, ["PageDown", " "], "page down"),
        (TuiAction.PageUp, ["PageUp"], "page up"),
        (TuiAction.Top, ["g", "Home"], "newest / top"),
        (TuiAction.Bottom, ["G", "End"], "oldest event / bottom (one query, not every page)"),
        (TuiAction.Quit, ["q"], "back; quits from the timeline"),
        (TuiAction.Restore, ["R"], "restore the configuration in effect at this event"),
        (TuiAction.ChangeDoc, ["d"], "the change doc of this commit"),
        (TuiAction.MonthlyReport, ["m"], "the monthly report of this event's month"),
        (TuiAction.Validate, ["v"], "run the validations now (live output)"),
        (TuiAction.Annotate, ["a"], "annotate this change (purpose, notes)"),
        (TuiAction.Why, ["w"], "why: the changes that likely caused this event (Enter, R)"),
        (TuiAction.Fleet, ["F"], "fleet: one line per host (alerts, last deploy, last change); Enter shows its timeline"),
    ];

    private readonly Dictionary<string, TuiAction> _byKey;

    private KeyMap(Dictionary<string, TuiAction> byKey)
    {
        _byKey = byKey;
    }

    public static KeyMap Default { get; } = new(Defaults.SelectMany(d => d.Keys.Select(k => (k, d.Action))).ToDictionary(x => x.k, x => x.Action, StringComparer.Ordinal));

    public TuiAction? this[string keyName] => _byKey.TryGetValue(keyName, out var a) ? a : null;

    /// <summary>The keys bound to an action, for the help and the status bar.</summary>
    public IReadOnlyList<string> KeysOf(TuiAction action) => _byKey.Where(kv => kv.Value == action).Select(kv => kv.Key).Order(StringComparer.Ordinal).ToArray();

    /// <summary>Every action with its keys and what it does, in help order.</summary>
    public IEnumerable<(TuiAction Action, IReadOnlyList<string> Keys, string Help)> Describe() =>
        Defaults.Select(d => (d.Action, KeysOf(d.Action), d.Help));

    /// <summary>The defaults, changed by <paramref name="home"/>/tui-keys.json when it exists.</summary>
    public static KeyMap Load(string home)
    {
        var file = Path.Combine(home, FileName);
        return File.Exists(file) ? Parse(File.ReadAllText(file), file) : Default;
    }

    public static KeyMap Parse(string json, string source)
    {
        var map = new Dictionary<string, TuiAction>(Default._byKey, StringComparer.Ordinal);
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new LedgerException($"{source} must be a JSON object such as {{\"restore\": [\"X\"]}}.");
            }

            foreach (var p in doc.RootElement.EnumerateObject())
            {
                var action = ParseAction(p.Name, source);
                var keys = p.Value.ValueKind switch
                {
                    JsonValueKind.String => [p.Value.GetString()!],
                    JsonValueKind.Array when p.Value.EnumerateArray().All(k => k.ValueKind == JsonValueKind.String) => p.Value.EnumerateArray().Select(k => k.GetString()!).ToArray(),
                    _ => throw new LedgerException($"{source}: \"{p.Name}\" must be a key or a list of keys, e.g. [\"j\", \"CursorDown\"]."),
                };
                foreach (var old in map.Where(kv => kv.Value == action).Select(kv => kv.Key).ToList())
                {
                    map.Remove(old);
                }

                foreach (var key in keys.Where(k => k.Length > 0))
                {
                    map[key] = action;
                }
            }
        }
        catch (JsonException e)
        {
            throw new LedgerException($"{source} is not valid JSON: {e.Message}");
        }

        return new KeyMap(map);
    }

    /// <summary>The JSON name of an action: kebab-case (<c>next-match</c>, <c>monthly-report</c>).</summary>
    public static string NameOf(TuiAction action) =>
        string.Concat(action.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    private static TuiAction ParseAction(string name, string source) =>
        Enum.GetValues<TuiAction>().FirstOrDefault(a => string.Equals(NameOf(a), name, StringComparison.Ordinal)) is var a && string.Equals(NameOf(a), name, StringComparison.Ordinal)
            ? a
            : throw new LedgerException($"{source}: unknown action \"{name}\"; the actions are {string.Join(", ", Enum.GetValues<TuiAction>().Select(NameOf))}.");
}
