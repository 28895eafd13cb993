namespace Ledger.Core.Text;

/// <summary>Text made to fit a column: cut with an ellipsis, at a word boundary where that keeps most of the room.</summary>
public static class Fitting
{
    public const string Ellipsis = "…";

    /// <summary><paramref name="text"/> in at most <paramref name="width"/> characters, the last one "…" when it was cut (short fields: hosts, actors).</summary>
    public static string Cut(string text, int width) =>
        text.Length <= width ? text : width < 2 ? text[..Math.Max(0, width)] : text[..(width - 1)] + Ellipsis;

    /// <summary>
    /// <paramref name="text"/> in at most <paramref name="width"/> characters ending in "…": cut after
    /// the last whole word when that keeps two thirds of the room or more, else where the room ends
    /// (one long word, a hash).
    /// </summary>
    public static string AtWord(string text, int width)
    {
        if (text.Length <= width || width < 2)
        {
            return Cut(text, width);
        }

        var room = width - 1;
        var space = text.LastIndexOf(' ', room);
        var cut = space >= room * 2 / 3 ? space : room;
        return text[..cut].TrimEnd() + Ellipsis;
    }
}
