using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Ledger.Core.Text;

/// <summary>
/// Removes secrets from text before it is stored, logged or rendered. A redacted value is
/// replaced by a short fingerprint of itself, so a changed secret still shows up as a change
/// without revealing either value.
/// </summary>
/// <remarks>
/// <para>Every built-in rule runs on <see cref="RegexOptions.NonBacktracking"/>, so redaction takes
/// time linear in the text whatever the text holds; checks a linear engine cannot express (is the
/// value <c>false</c>? is it a path?) live in the match evaluators.</para>
/// <para><see cref="Redact"/> is idempotent: a fingerprint is never fingerprinted again, and the
/// rules run again on their own result until it no longer changes (text without secrets, nearly
/// every line of an import, costs one pass).</para>
/// <para>Callers redact the whole text and cut it afterwards: a block cut in half (a private key
/// with no END line, a multi-line string with no closing quotes) is redacted to the end of the
/// text, but a cut can still separate a secret from the name that marks it.</para>
/// </remarks>
public sealed partial class Redactor
{
    /// <summary>The rules run again on their own result until it stops changing; never more often than this.</summary>
    private const int MaxPasses = 4;

    private static readonly TimeSpan AdminPatternTimeout = TimeSpan.FromSeconds(1);

    private readonly IReadOnlyList<Regex> _extra;

    public Redactor(IEnumerable<string>? extraPatterns = null)
    {
        _extra = (extraPatterns ?? []).Select(CompileAdminPattern).ToArray();
    }

    /// <summary>
    /// The redactor every path uses: the built-in rules plus the admin's patterns, set once at
    /// start-up by <see cref="Configure"/> (from $LEDGER_HOME/redact.json).
    /// </summary>
    public static Redactor Default { get; private set; } = new();

    /// <summary>Adds the admin's patterns (regular expressions) to the built-in rules for this process.</summary>
    /// <exception cref="ArgumentException">A pattern is not a valid regular expression.</exception>
    public static void Configure(IEnumerable<string> extraPatterns) => Default = new Redactor(extraPatterns);

    /// <summary>
    /// Whether each admin pattern, in order, runs on the linear engine (true) or, because it uses
    /// lookarounds, backreferences or atomic groups, on the backtracking one with a one-second limit (false).
    /// </summary>
    public IReadOnlyList<bool> AdminPatternsRunInLinearTime => _extra.Select(r => (r.Options & RegexOptions.NonBacktracking) != 0).ToArray();

    public static string Fingerprint(string secret)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(secret));
        return $"{MarkerStart}{Convert.ToHexStringLower(hash)[..8]}]";
    }

    /// <summary>
    /// The text with every secret the rules recognise replaced by its fingerprint. Never throws:
    /// when an admin pattern runs out of time (or anything else fails) the whole text is withheld
    /// and a marker saying how much was withheld comes back instead.
    /// </summary>
    public string Redact(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        if (_everywhere)
        {
            return RedactText(text);
        }

        return text.Length > MemoMaxLength ? RedactLong(text) : RedactShort(text);
    }

    private string RedactText(string text) => RedactText(text, out _, out _);

    /// <summary>
    /// <see cref="Redact"/> without the memo; <paramref name="withheld"/> when the text was withheld
    /// (a rule timed out or failed), which is not remembered; <paramref name="settled"/> when the
    /// result is its own redaction (the rules' last pass changed nothing).
    /// </summary>
    private string RedactText(string text, out bool withheld, out bool settled)
    {
        withheld = false;
        settled = false;
        try
        {
            var current = text;
            for (var pass = 0; pass < MaxPasses; pass++)
            {
                var next = RedactOnce(current);
                if (string.Equals(next, current, StringComparison.Ordinal))
                {
                    settled = true;
                    return next;
                }

                current = next;
            }

            return current;
        }
        catch (RegexMatchTimeoutException)
        {
            withheld = true;
            return Withheld(text.Length, "a redaction rule timed out");
        }
#pragma warning disable CA1031 // Redact never throws: text it cannot redact is withheld, never passed on.
        catch (Exception e) when (e is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            withheld = true;
            return Withheld(text.Length, "redaction failed");
        }
    }

    private static string Withheld(int length, string why) => $"[REDACTED: {length} chars withheld, {why}]";

    private static Regex CompileAdminPattern(string pattern)
    {
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
        }
        catch (NotSupportedException)
        {
            // Lookarounds, backreferences, atomic groups: only the backtracking engine has them,
            // and it may take exponential time, so it gets a limit (and Redact withholds on it).
            return new Regex(pattern, RegexOptions.CultureInvariant, AdminPatternTimeout);
        }
    }

    /// <summary>Set while <see cref="RedactEverywhere"/> runs: every rule over the whole text, no prefilter.</summary>
    [ThreadStatic]
    private static bool _everywhere;

    /// <summary>
    /// <see cref="Redact"/> with every rule run over the whole text, whatever the text holds: what
    /// the cheap checks that skip rules and lines must never change (tests compare).
    /// </summary>
    internal string RedactEverywhere(string text)
    {
        _everywhere = true;
        try
        {
            return Redact(text);
        }
        finally
        {
            _everywhere = false;
        }
    }

    private string RedactOnce(string text)
    {
        // Each rule runs only where the text holds what its pattern cannot match without (the
        // rules' case-insensitive words are looked for as ASCII, so text with anything else in it
        // always runs them): most diff lines of an import hold none, and the regexes are most of
        // an import's own work.
        var ascii = Ascii.IsValid(text);

        // A case-insensitive regex also matches the characters that fold onto an ASCII letter (the
        // Kelvin sign as k; the long s and the Turkish i's are counted too, as cultures fold them).
        // Text without them has its letter-only words found by the ASCII search even when it holds
        // other non-ASCII text (accents, box drawing, emoji in a comment).
        var wordsReliable = ascii || !text.AsSpan().ContainsAny(FoldsOntoAscii);
        var all = _everywhere;
        var result = text;
        if (all || result.Contains(BeginMark, StringComparison.Ordinal))
        {
            result = ReplaceArmouredBlocks(result);
        }

        if (all || result.Contains("-----END ", StringComparison.Ordinal) || HasKeyWidthLines(result))
        {
            result = Replace(ArmouredBodyRule, result, ArmouredBodyValue);
        }

        if (all || result.Contains("ENC[", StringComparison.Ordinal))
        {
            result = Replace(SopsValueRule, result, (input, m) => Secret(input, m, m.Groups[0]));
        }

        if (all)
        {
            result = TokenShapesEverywhere(result);
        }
        else if (NextTokenWord(result, 0) >= 0)
        {
            result = ReplaceInLines(result, NextTokenWord, ReplaceTokens);
        }

        if (all || HasNixSigningKeyShape(result))
        {
            result = Replace(NixSigningKeyRule, result, (input, m) => m.Groups["secret"].Length == 88 ? Secret(input, m, m.Groups["secret"]) : m.Value);
        }

        if (all || result.AsSpan().ContainsAny(CryptWords))
        {
            result = Replace(CryptHashRule, result, (input, m) => m.Length >= 11 ? Secret(input, m, m.Groups[0]) : m.Value);
        }

        var words = all || !wordsReliable || result.AsSpan().ContainsAny(AssignmentWords);
        if (words && (all || !wordsReliable || HasBlockHeaderLine(result)))
        {
            result = RedactBlocks(result);
        }

        if (words && (all || !wordsReliable || HasSecretElement(result)))
        {
            result = Replace(XmlElementRule, result, (input, m) => Secret(input, m, m.Groups["secret"]));
        }

        if (all || result.Contains("\"auth\"", StringComparison.Ordinal))
        {
            result = Replace(DockerAuthRule, result, (input, m) => m.Groups["secret"].Length >= 8 ? Secret(input, m, m.Groups["secret"]) : m.Value);
        }

        // The Authorization header, the command-line flag and the assignment are found by hand
        // (Redactor.Hits.cs), their regexes built only for text whose case the scanners do not
        // read as the patterns do.
        if (all || !wordsReliable)
        {
            result = Replace(AuthorizationHeaderRule, result, (input, m) => AuthorizationValue(input, Hit.Of(m)));
        }
        else if (result.AsSpan().ContainsAny(AuthorizationWords))
        {
            result = ReplaceFound(result, NextAuthorizationHeader, AuthorizationValue);
        }

        if (all || !wordsReliable)
        {
            result = Replace(CommandLineSecretRule, result, (input, m) => CommandValue(input, Hit.Of(m)));
        }
        else if (words)
        {
            result = ReplaceFound(result, NextCommandLineFlag, CommandValue);
        }

        if (all || HasShortCommandSecret(result))
        {
            result = Replace(CommandLineShortSecretRule, result, (input, m) => CommandValue(input, Hit.Of(m)));
        }

        if (all || !wordsReliable || result.AsSpan().ContainsAny(IdentifiedWord) || HasSqlPassword(result))
        {
            result = Replace(SqlPasswordRule, result, (input, m) => Secret(input, m, m.Groups["secret"]));
        }

        if (all || HasNetrcPassword(result))
        {
            result = Replace(NetrcPasswordRule, result, (input, m) => Secret(input, m, m.Groups["secret"]));
        }

        if (all)
        {
            result = Replace(PgpassLineRule, result, PgpassValue);
        }
        else
        {
            // A .pgpass line is a whole line holding its port field: only such lines are scanned
            // (and the rule is built only when one is found).
            result = ReplaceInLines(PgpassLineRule, result, NextPgpassLine, PgpassValue);
        }

        if (all)
        {
            result = Replace(UrlCredentialsRule, result, (input, m) => Secret(input, m, m.Groups["secret"]));
        }
        else
        {
            result = ReplaceInLines(UrlCredentialsRule, result, NextUrlCredentials, (input, m) => Secret(input, m, m.Groups["secret"]));
        }

        if (words)
        {
            result = wordsReliable && !all
                ? ReplaceFound(result, NextAssignment, AssignmentValue)
                : Replace(AssignmentRule, result, (input, m) => AssignmentValue(input, Hit.Of(m)));
        }

        foreach (var pattern in _extra)
        {
            result = Replace(pattern, result, (input, m) => Secret(input, m, m.Groups[0]));
        }

        return result;
    }

    // ---- Markers ------------------------------------------------------------------------------

    private const string MarkerStart = "[REDACTED:";
    private const int MarkerLength = 19; // "[REDACTED:" + 8 hex digits + "]"

    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdef");

    private static bool IsMarkerAt(ReadOnlySpan<char> s, int at) =>
        at >= 0 && at + MarkerLength <= s.Length
        && s.Slice(at, MarkerStart.Length).SequenceEqual(MarkerStart)
        && !s.Slice(at + MarkerStart.Length, 8).ContainsAnyExcept(HexDigits)
        && s[at + MarkerLength - 1] == ']';

    /// <summary>The value holds nothing but fingerprints (and space): it was redacted before.</summary>
    internal static bool IsOnlyMarkers(ReadOnlySpan<char> value)
    {
        value = value.Trim();
        if (value.IsEmpty)
        {
            return false;
        }

        while (!value.IsEmpty)
        {
            if (!IsMarkerAt(value, 0))
            {
                return false;
            }

            value = value[MarkerLength..].TrimStart();
        }

        return true;
    }

    /// <summary>The span lies inside one fingerprint (an admin pattern matching its hex digits, say).</summary>
    private static bool IsInsideMarker(string input, int index, int length)
    {
        for (var start = Math.Max(0, index - MarkerLength + 1); start <= index; start++)
        {
            if (input[start] == '[' && IsMarkerAt(input, start) && index + length <= start + MarkerLength)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The match with <paramref name="secret"/> replaced by its fingerprint, unless it is one already.</summary>
    private static string Secret(string input, Match m, Group secret) => Secret(input, m.Index, m.Length, Place.Of(secret));

    /// <summary>The match at <paramref name="index"/> with its <paramref name="secret"/> replaced by a marker, unless that is one already.</summary>
    private static string Secret(string input, int index, int length, Place secret)
    {
        if (!secret.Success || secret.Length == 0 || IsOnlyMarkers(secret.In(input)) || IsInsideMarker(input, secret.Index, secret.Length))
        {
            return input.Substring(index, length);
        }

        return ReplaceSpan(input, index, length, secret.Index, secret.Length, Fingerprint(input.Substring(secret.Index, secret.Length)));
    }

    private static string ReplaceSpan(string input, int matchIndex, int matchLength, int index, int length, string replacement) =>
        string.Concat(input.AsSpan(matchIndex, index - matchIndex), replacement, input.AsSpan(index + length, matchIndex + matchLength - index - length));
}
