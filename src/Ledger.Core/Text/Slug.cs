using System.Text;

namespace Ledger.Core.Text;

/// <summary>File-name slugs: lower-case ASCII letters and digits joined by single hyphens.</summary>
public static class Slug
{
    public const int MaxLength = 60;

    /// <summary>The slug of a title, at most <see cref="MaxLength"/> characters, cut at a word; "change" when nothing is left.</summary>
    public static string From(string title)
    {
        var sb = new StringBuilder(title.Length);
        foreach (var ch in title)
        {
            var c = char.ToLowerInvariant(ch);
            if (char.IsAsciiLetterOrDigit(c))
            {
                sb.Append(c);
            }
            else if (Folded(c) is { } ascii)
            {
                sb.Append(ascii);
            }
            else if (sb.Length > 0 && sb[^1] != '-')
            {
                sb.Append('-');
            }
        }

        var slug = sb.ToString().Trim('-');
        if (slug.Length > MaxLength)
        {
            var cut = slug.LastIndexOf('-', MaxLength);
            slug = cut > 0 ? slug[..cut] : slug[..MaxLength];
        }

        return slug.Length == 0 ? "change" : slug;
    }

    // Ledger runs with invariant globalization (no ICU, so no Unicode decomposition): the common
    // Latin letters with diacritics are folded by hand, é -> e, ß -> ss.
    private static string? Folded(char c)
    {
        const string From = "àáâãäåāăąçćčďèéêëēėęěìíîïīįłñńňòóôõöøōőŕřśšşťùúûüūůűųýÿźżž";
        const string To = "aaaaaaaaacccdeeeeeeeeiiiiiilnnnoooooooorrssstuuuuuuuuyyzzz";
        var i = From.IndexOf(c, StringComparison.Ordinal);
        return i >= 0 ? To[i].ToString() : c switch { 'ß' => "ss", 'æ' => "ae", 'œ' => "oe", 'þ' => "th", 'ð' => "d", _ => null };
    }
}
