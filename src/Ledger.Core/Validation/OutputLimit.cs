namespace Ledger.Core.Validation;

/// <summary>
/// Keeps captured output bounded before it is stored. The marker says how many characters were
/// cut, so a reader knows the stored text is not the whole story.
/// </summary>
public static class OutputLimit
{
    /// <summary>What a validation run stores at most by default (the marker comes on top).</summary>
    public const int DefaultMaxChars = 32 * 1024;

    /// <summary>Keeps the first <paramref name="maxChars"/> characters, then the marker.</summary>
    public static (string Text, bool Truncated) KeepHead(string text, int maxChars)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegative(maxChars);
        if (text.Length <= maxChars)
        {
            return (text, false);
        }

        var cut = maxChars;
        // Never split a surrogate pair: half a character is not valid UTF-16.
        if (cut > 0 && char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        return (text[..cut] + HeadMarker(text.Length - cut), true);
    }

    /// <summary>
    /// Keeps the last <paramref name="maxChars"/> characters after the marker: for build output,
    /// where the error is at the end.
    /// </summary>
    public static (string Text, bool Truncated) KeepTail(string text, int maxChars)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegative(maxChars);
        if (text.Length <= maxChars)
        {
            return (text, false);
        }

        var start = text.Length - maxChars;
        if (start < text.Length && char.IsLowSurrogate(text[start]))
        {
            start++;
        }

        return (TailMarker(start) + text[start..], true);
    }

    public static string HeadMarker(int omittedChars) => $"\n[... output truncated by Ledger: {omittedChars} more characters ...]\n";

    public static string TailMarker(int omittedChars) => $"[... output truncated by Ledger: {omittedChars} earlier characters ...]\n";
}
