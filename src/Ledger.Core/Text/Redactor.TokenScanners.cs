using System.Buffers;

namespace Ledger.Core.Text;

// The token families found by hand. Each family's pattern is \b(?<secret>alternatives), every
// alternative a prefix of the provider's, then runs of a character class and literals; a run is
// always followed by a literal its class cannot hold, or ends the alternative, so reading it to its
// end (greedily, never giving back) finds what the regex finds. The one exception, age's plugin
// keys, is read as the regex backtracks (AgeKey). Alternatives are tried in the pattern's order.
public sealed partial class Redactor
{
    /// <summary>A token found by hand: where its match lies in the text, and its secret inside it.</summary>
    internal readonly record struct Token(int Index, int Length, Place Secret) : IFound;

    /// <summary>A family's next token from <c>from</c> on, or null.</summary>
    private delegate Token? TokenScanner(string input, int from);

    /// <summary>How many token families there are (tests).</summary>
    internal static int TokenFamilyCount => TokenFamilies.Length;

    /// <summary>The pattern of token family <paramref name="family"/>, built (tests compare the scanner with it).</summary>
    internal static System.Text.RegularExpressions.Regex TokenFamilyPattern(int family) => TokenFamilies[family].Rule.Regex;

    /// <summary>Token family <paramref name="family"/>'s next token from <paramref name="from"/> on, found by hand (tests).</summary>
    internal static Token? NextTokenOf(int family, string input, int from) => TokenFamilies[family].Scan(input, from);

    private const string Az = "abcdefghijklmnopqrstuvwxyz", AZ = "ABCDEFGHIJKLMNOPQRSTUVWXYZ", Digit = "0123456789", AlnumText = AZ + Az + Digit;

    // The patterns' classes, [A-Za-z0-9], [A-Za-z0-9_], ... as sets.
    private static readonly SearchValues<char> Alnum = SearchValues.Create(AlnumText), AlnumUnderscore = SearchValues.Create(AlnumText + "_"),
        AlnumUnderscoreDash = SearchValues.Create(AlnumText + "_-"), AlnumDash = SearchValues.Create(AlnumText + "-"), AlnumPlusSlash = SearchValues.Create(AlnumText + "+/"),
        UpperDigit = SearchValues.Create(AZ + Digit), UpperDigitDash = SearchValues.Create(AZ + Digit + "-"), Lower = SearchValues.Create(Az),
        Digits = SearchValues.Create(Digit), LowerHex = SearchValues.Create("abcdef" + Digit), AnyHex = SearchValues.Create("ABCDEFabcdef" + Digit),
        Bech32 = SearchValues.Create("023456789ACDEFGHJKLMNPQRSTUVWXYZ"), WebhookPath = SearchValues.Create(AlnumText + "/_+-");

    /// <summary>A family that finds its own places to start (a token word inside its tokens).</summary>
    private static Func<SearchValues<string>, TokenScanner> Alone(TokenScanner scan) => _ => scan;

    /// <summary>
    /// A family whose tokens start with one of its words, right after a word boundary: each place
    /// the text holds a word, tried with <paramref name="at"/> (the end of the token there, or -1).
    /// After a place that holds no token, the search goes on from <paramref name="nextAfterNone"/>
    /// when the family gives one: where a shape's first run can hold the family's word after a
    /// character that is no word character ("eyJ-eyJ-...", "AGE-PLUGIN-AGE-PLUGIN-..."), every
    /// place inside that run would read the same run to the same end and fail the same way, and
    /// trying each would take time in the square of the run's length; the regex takes linear time.
    /// </summary>
    private static Func<SearchValues<string>, TokenScanner> AfterWord(Func<string, int, int> at, Func<string, int, int>? nextAfterNone = null) =>
        words => (input, from) =>
        {
            while (from < input.Length)
            {
                var found = input.AsSpan(from).IndexOfAny(words);
                if (found < 0)
                {
                    return null;
                }

                var start = from + found;
                if (IsBoundary(input, start))
                {
                    if (at(input, start) is var end and >= 0)
                    {
                        return new Token(start, end - start, new Place(start, end - start));
                    }

                    from = Math.Max(start + 1, nextAfterNone?.Invoke(input, start) ?? 0);
                    continue;
                }

                from = start + 1;
            }

            return null;
        };

    // ---- Pieces of a shape: each gives where it ends when it stands at `at`, or -1 --------------

    /// <summary>A run of at least <paramref name="least"/> characters of <paramref name="chars"/>, read to its end.</summary>
    private static int Run(string input, int at, SearchValues<char> chars, int least = 1)
    {
        if (at < 0)
        {
            return -1;
        }

        var length = input.AsSpan(at).IndexOfAnyExcept(chars);
        length = length < 0 ? input.Length - at : length;
        return length >= least ? at + length : -1;
    }

    private static int Lit(string input, int at, string literal) =>
        at >= 0 && input.AsSpan(at).StartsWith(literal, StringComparison.Ordinal) ? at + literal.Length : -1;

    /// <summary>The first of <paramref name="literals"/> (in the pattern's order) that stands at <paramref name="at"/>.</summary>
    private static int OneOf(string input, int at, params ReadOnlySpan<string> literals)
    {
        foreach (var literal in literals)
        {
            if (Lit(input, at, literal) is var end and >= 0)
            {
                return end;
            }
        }

        return -1;
    }

    /// <summary>An optional literal (greedy): past it when it stands there, else where it would have.</summary>
    private static int Opt(string input, int at, string literal) => at < 0 ? -1 : Math.Max(at, Lit(input, at, literal));

    /// <summary>The first alternative that matches, in the pattern's order.</summary>
    private static int First(int a, int b) => a >= 0 ? a : b;

    // ---- The families (their patterns are beside them in Redactor.Tokens.cs) -------------------

    private static int GitHubToken(string s, int at) =>
        First(Run(s, OneOf(s, at, "ghp_", "gho_", "ghu_", "ghs_", "ghr_"), Alnum), Run(s, Lit(s, at, "github_pat_"), AlnumUnderscore));

    private static int GitLabToken(string s, int at) =>
        First(
            Run(s, Lit(s, OneOf(s, Lit(s, at, "gl"), "pat", "ptt", "dt", "rt", "cbt", "soat", "ffct", "imt", "oas", "agent"), "-"), AlnumUnderscoreDash),
            First(
                Run(s, Lit(s, Run(s, Lit(s, at, "glsa_"), Alnum), "_"), AnyHex),
                Opt(s, Opt(s, Run(s, Lit(s, at, "glc_"), AlnumPlusSlash), "="), "=")));

    private static int TailscaleKey(string s, int at) =>
        First(Run(s, Lit(s, at, "tskey-"), AlnumDash), Run(s, Lit(s, Run(s, Lit(s, at, "hskey-"), Lower), "-"), AlnumUnderscoreDash));

    private static int AwsKeyId(string s, int at) =>
        First(Run(s, OneOf(s, at, "AKIA", "ASIA", "ABIA", "ACCA"), UpperDigit), Run(s, Lit(s, at, "A3T"), UpperDigit, least: 2));

    private static int SlackToken(string s, int at)
    {
        var xox = Lit(s, at, "xox");
        var kind = xox >= 0 && xox < s.Length && "abposre".Contains(s[xox]) ? xox + 1 : -1;
        return First(Run(s, Lit(s, kind, "-"), AlnumDash), Run(s, Lit(s, Run(s, Lit(s, at, "xapp-"), Digits), "-"), AlnumDash));
    }

    private static int SecretKey(string s, int at) =>
        First(
            Run(s, Lit(s, OneOf(s, Lit(s, at, "sk-"), "proj", "svcacct", "admin", "ant"), "-"), AlnumUnderscoreDash),
            First(
                Run(s, Lit(s, at, "sk-"), Alnum),
                First(Run(s, OneOf(s, OneOf(s, at, "sk_", "rk_"), "live_", "test_"), Alnum), Run(s, Lit(s, at, "whsec_"), Alnum))));

    private static int SendGridKey(string s, int at) => Run(s, Lit(s, Run(s, Lit(s, at, "SG."), AlnumUnderscoreDash), "."), AlnumUnderscoreDash);

    private static int JsonWebToken(string s, int at) =>
        Run(s, Lit(s, Run(s, Lit(s, Run(s, Lit(s, at, "eyJ"), AlnumUnderscoreDash), ".eyJ"), AlnumUnderscoreDash), "."), AlnumUnderscoreDash, least: 0);

    /// <summary>Past the header's run: every "eyJ" inside it reads the same run to the same end.</summary>
    private static int PastJsonWebTokenHeader(string s, int at) => Run(s, Lit(s, at, "eyJ"), AlnumUnderscoreDash);

    private static int RegistryToken(string s, int at) =>
        First(
            Run(s, Lit(s, at, "npm_"), Alnum),
            First(
                Run(s, Lit(s, at, "pypi-AgE"), AlnumUnderscoreDash),
                First(Run(s, Lit(s, at, "hf_"), Alnum), First(Run(s, Lit(s, at, "dop_v1_"), LowerHex), Run(s, Lit(s, at, "syt_"), AlnumUnderscore)))));

    /// <summary>
    /// AGE-SECRET-KEY-1..., or AGE-PLUGIN-[A-Z0-9-]+-1[bech32]+: the run's class holds "-1" and the
    /// key's characters, so the regex gives back from the run's end to the last "-1" followed by a
    /// key character (after at least one character of the run), then reads the key to its end.
    /// </summary>
    private static int AgeKey(string s, int at)
    {
        if (Run(s, Lit(s, at, "AGE-SECRET-KEY-1"), Bech32) is var secretKey and >= 0)
        {
            return secretKey;
        }

        var run = Lit(s, at, "AGE-PLUGIN-");
        var end = Run(s, run, UpperDigitDash);
        for (var dash = end - 3; run >= 0 && dash >= run + 1; dash--)
        {
            if (s[dash] == '-' && s[dash + 1] == '1' && Bech32.Contains(s[dash + 2]))
            {
                return Run(s, dash + 2, Bech32);
            }
        }

        return -1;
    }

    /// <summary>
    /// Past a plugin key's run when none of it was a key: every "AGE-" inside the run would end at
    /// the same place and find no later "-1" (a secret key inside it would have been one).
    /// </summary>
    private static int PastAgePluginRun(string s, int at) => Run(s, Lit(s, at, "AGE-PLUGIN-"), UpperDigitDash);

    private static int ShopifyStyleToken(string s, int at) => Run(s, Lit(s, Run(s, Lit(s, at, "v1.0-"), LowerHex), "-"), LowerHex);

    /// <summary>
    /// \b(?&lt;secret&gt;[0-9]+:AA[A-Za-z0-9_-]+): found by its ":AA", the digits before it read
    /// back to where the search began; the token starts at the first digit, which must follow a
    /// word boundary (a digit inside a run of word characters cannot).
    /// </summary>
    private static Token? NextBotToken(string input, int from)
    {
        for (var search = from; search < input.Length;)
        {
            var found = input.AsSpan(search).IndexOf(":AA", StringComparison.Ordinal);
            if (found < 0)
            {
                return null;
            }

            var colon = search + found;
            var start = colon;
            while (start > from && char.IsAsciiDigit(input[start - 1]))
            {
                start--;
            }

            if (start < colon && IsBoundary(input, start) && Run(input, colon + 3, AlnumUnderscoreDash) is var end and >= 0)
            {
                return new Token(start, end - start, new Place(start, end - start));
            }

            search = colon + 1;
        }

        return null;
    }

    /// <summary>A Slack or Discord webhook URL; the secret is the path after the webhook prefix.</summary>
    private static Token? NextWebhook(string input, int from) => NextAt(input, from, "https://", WebhookPrefix, (s, at) => Run(s, at, WebhookPath));

    private static int WebhookPrefix(string s, int at)
    {
        var https = Lit(s, at, "https://");
        if (Lit(s, OneOf(s, Lit(s, https, "hooks.slack.com/"), "services", "workflows", "triggers"), "/") is var slack and >= 0)
        {
            return slack;
        }

        // (?:ptb\.|canary\.)?discord(?:app)?\.com/api/webhooks/: each optional part is taken when it
        // is there; leaving it out then cannot help, as what follows it starts with another letter.
        var discord = Lit(s, https < 0 ? -1 : Math.Max(https, OneOf(s, https, "ptb.", "canary.")), "discord");
        return Lit(s, Opt(s, discord, "app"), ".com/api/webhooks/");
    }

    /// <summary>api.telegram.org/[file/]bot followed by a bot token (the secret: digits, ':', the rest).</summary>
    private static Token? NextTelegramUrl(string input, int from) =>
        NextAt(
            input,
            from,
            "api.telegram.org",
            (s, at) => Lit(s, Opt(s, Lit(s, at, "api.telegram.org/"), "file/"), "bot"),
            (s, at) => Run(s, Lit(s, Run(s, at, Digits), ":"), AlnumUnderscoreDash));

    /// <summary>
    /// The first place from <paramref name="from"/> where <paramref name="start"/> stands and both
    /// <paramref name="prefix"/> and, after it, <paramref name="secret"/> match (each gives its end, or -1).
    /// </summary>
    private static Token? NextAt(string input, int from, string start, Func<string, int, int> prefix, Func<string, int, int> secret)
    {
        for (var search = from; search < input.Length;)
        {
            var found = input.AsSpan(search).IndexOf(start, StringComparison.Ordinal);
            if (found < 0)
            {
                return null;
            }

            var at = search + found;
            if (prefix(input, at) is var secretAt and >= 0 && secret(input, secretAt) is var end and >= 0)
            {
                return new Token(at, end - at, new Place(secretAt, end - secretAt));
            }

            search = at + 1;
        }

        return null;
    }
}
