namespace Ledger.Cli.Tui.ViewModels;

/// <summary>Where a line shows the filter text: <see cref="Length"/> characters from <see cref="Start"/>.</summary>
internal readonly record struct MatchSpan(int Start, int Length)
{
    /// <summary>
    /// Every place <paramref name="text"/> shows <paramref name="find"/>, case-insensitively and
    /// without overlaps, from <paramref name="from"/> on. <paramref name="find"/> is made safe for
    /// the terminal first, as the line was (a tab in it is a space on screen).
    /// </summary>
    public static IReadOnlyList<MatchSpan> All(string text, string? find, int from = 0)
    {
        var needle = Core.Text.TerminalText.Line(find);
        if (needle.Length == 0)
        {
            return [];
        }

        var spans = new List<MatchSpan>();
        for (var i = text.IndexOf(needle, from, StringComparison.OrdinalIgnoreCase); i >= 0; i = text.IndexOf(needle, i + needle.Length, StringComparison.OrdinalIgnoreCase))
        {
            spans.Add(new MatchSpan(i, needle.Length));
        }

        return spans;
    }
}
