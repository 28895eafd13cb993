using System.Globalization;
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
        foreach (var c in title.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue; // é -> e
            }

            if (char.IsAsciiLetterOrDigit(c))
            {
                sb.Append(char.ToLowerInvariant(c));
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
}
