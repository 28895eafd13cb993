using System.Globalization;

namespace Ledger.Core.Nix;

/// <summary>Flake input changes as people say them: <c>nixpkgs +14 days</c>, <c>nixpkgs nixos-24.05 → 24.11</c>, <c>+agenix</c>.</summary>
public static class FlakeInputText
{
    /// <summary>How many inputs a title names before it says how many more.</summary>
    public const int InTitle = 2;

    /// <summary>One change in a few words.</summary>
    public static string Phrase(FlakeInputChange c) => c.Change switch
    {
        "added" => $"+{c.Input}",
        "removed" => $"-{c.Input}",
        _ when c.OldRef is not null && c.NewRef is not null && c.OldRef != c.NewRef => $"{c.Input} {c.OldRef} → {Shorten(c.OldRef, c.NewRef)}",
        _ when Days(c) is { } days => $"{c.Input} {(days >= 0 ? "+" : "")}{days.ToString(CultureInfo.InvariantCulture)} day{(Math.Abs(days) == 1 ? "" : "s")}",
        _ => $"{c.Input} updated",
    };

    /// <summary>The first <see cref="InTitle"/> phrases and how many more, for a title (empty when there are none).</summary>
    public static string Summary(IReadOnlyList<FlakeInputChange>? changes)
    {
        if (changes is not { Count: > 0 })
        {
            return "";
        }

        var shown = string.Join(", ", changes.Take(InTitle).Select(Phrase));
        var more = changes.Count - InTitle;
        return more > 0 ? $"{shown} and {more} more input{(more == 1 ? "" : "s")}" : shown;
    }

    /// <summary>A rev as people read it: the first 12 characters of a commit hash, a narHash whole, "-" for none.</summary>
    public static string Rev(string? rev) =>
        rev is null ? "-" : rev.Length == 40 && rev.All(char.IsAsciiHexDigit) ? rev[..12] : rev;

    /// <summary>How far the input's source moved in whole days (old lastModified to new), or null when either is unknown.</summary>
    public static int? Days(FlakeInputChange c) =>
        Parse(c.OldLastModified) is { } from && Parse(c.NewLastModified) is { } to ? (int)Math.Round((to - from).TotalDays) : null;

    /// <summary>The new ref without the part it shares with the old one up to a separator: nixos-24.05 → 24.11.</summary>
    private static string Shorten(string old, string now)
    {
        if (now.Length == 0)
        {
            return now;
        }

        var common = 0;
        while (common < old.Length && common < now.Length && old[common] == now[common])
        {
            common++;
        }

        var cut = now.LastIndexOfAny(['-', '/', '_'], Math.Max(0, Math.Min(common, now.Length) - 1));
        return cut > 0 && cut < now.Length - 1 && common > cut ? now[(cut + 1)..] : now;
    }

    private static DateTimeOffset? Parse(string? iso) =>
        iso is not null && DateTimeOffset.TryParse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;
}
