using System.Buffers;
using System.Text.RegularExpressions;

namespace Ledger.Core.Text;

// Provider tokens, recognised by their shape without a name: a prefix of the provider's own, then
// the characters its tokens are made of (the shapes gitleaks and trufflehog document). Each family
// of prefixes is found by hand (Redactor.TokenScanners.cs), exactly as its rule's pattern finds it
// (RedactorTokenScannerSpecs compares them match for match): building a family's NonBacktracking
// regex cost a process about 3 ms of CPU and kept some 0.4 MB of the regex engine's tables alive
// (issue 19; Mic92/dotfiles built seven). The patterns stay as the definition, and run only where
// every rule runs over the whole text (RedactEverywhere).
public sealed partial class Redactor
{
    /// <summary>
    /// Tokens of one family: the words every one of its tokens holds (each starts a token, right
    /// after a word boundary, unless <see cref="AfterBoundary"/> is false), and the rule that finds them.
    /// </summary>
    private sealed class TokenFamily
    {
        public TokenFamily(string[] words, string shape, Func<SearchValues<string>, TokenScanner> scanner, bool afterBoundary = true)
        {
            Words = words;
            WordsToFind = SearchValues.Create(words, StringComparison.Ordinal);
            Pattern = afterBoundary ? $"""\b(?<secret>{shape})""" : shape;
            AfterBoundary = afterBoundary;
            Shape = shape;
            Scan = scanner(WordsToFind);
            Rule = new LazyRule(() => Redactor.Rule(Pattern));
        }

        /// <summary>The family's next token from a place on, found by hand as <see cref="Rule"/> finds it.</summary>
        public TokenScanner Scan { get; }

        public string[] Words { get; }

        public SearchValues<string> WordsToFind { get; }

        /// <summary>The alternatives, without the word boundary and the secret group around them.</summary>
        public string Shape { get; }

        public bool AfterBoundary { get; }

        public string Pattern { get; }

        public LazyRule Rule { get; }
    }

    // Counted repetitions make a NonBacktracking regex large and slow to build, so the shapes
    // say only which characters follow a prefix; TokenLongEnough checks the length. No two
    // families can match at the same place: each starts with words of its own (checked in
    // RedactorTokenWordsSpecs against the one rule of them all, KnownTokenShapesRule).
    private static readonly TokenFamily[] TokenFamilies =
    [
        new(["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"], """gh[pousr]_[A-Za-z0-9]+|github_pat_[A-Za-z0-9_]+""", AfterWord(GitHubToken)),
        new(
            ["glpat-", "glptt-", "gldt-", "glrt-", "glcbt-", "glsoat-", "glffct-", "glimt-", "gloas-", "glagent-", "glsa_", "glc_"],
            """gl(?:pat|ptt|dt|rt|cbt|soat|ffct|imt|oas|agent)-[A-Za-z0-9_-]+|glsa_[A-Za-z0-9]+_[A-Fa-f0-9]+|glc_[A-Za-z0-9+/]+=?=?""",
            AfterWord(GitLabToken)),
        new(["tskey-", "hskey-"], """tskey-[A-Za-z0-9-]+|hskey-[a-z]+-[A-Za-z0-9_-]+""", AfterWord(TailscaleKey)),
        new(["AKIA", "ASIA", "ABIA", "ACCA", "A3T"], """(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]+""", AfterWord(AwsKeyId)),
        new(["xox", "xapp-"], """xox[abposre]-[A-Za-z0-9-]+|xapp-[0-9]+-[A-Za-z0-9-]+""", AfterWord(SlackToken)),
        new(["sk-", "sk_", "rk_", "whsec_"], """sk-(?:proj|svcacct|admin|ant)-[A-Za-z0-9_-]+|sk-[A-Za-z0-9]+|(?:sk|rk)_(?:live|test)_[A-Za-z0-9]+|whsec_[A-Za-z0-9]+""", AfterWord(SecretKey)),
        new(["SG."], """SG\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+""", AfterWord(SendGridKey)),
        new(["eyJ"], """eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*""", AfterWord(JsonWebToken, PastJsonWebTokenHeader)),
        new(["npm_", "pypi-", "hf_", "dop_v1_", "syt_"], """npm_[A-Za-z0-9]+|pypi-AgE[A-Za-z0-9_-]+|hf_[A-Za-z0-9]+|dop_v1_[a-f0-9]+|syt_[A-Za-z0-9_]+""", AfterWord(RegistryToken)),
        new(["AGE-"], """AGE-SECRET-KEY-1[02-9AC-HJ-NP-Z]+|AGE-PLUGIN-[A-Z0-9-]+-1[02-9AC-HJ-NP-Z]+""", AfterWord(AgeKey, PastAgePluginRun)),
        new(["v1.0-"], """v1\.0-[a-f0-9]+-[a-f0-9]+""", AfterWord(ShopifyStyleToken)),

        // A Telegram bot token: digits, ':', then AA and more.
        new([":AA"], """[0-9]+:AA[A-Za-z0-9_-]+""", Alone(NextBotToken)),

        // Webhook URLs: the secret is the path after the host's webhook prefix.
        new(
            ["hooks.slack.com", "/api/webhooks/"],
            """https://(?:hooks\.slack\.com/(?:services|workflows|triggers)/|(?:ptb\.|canary\.)?discord(?:app)?\.com/api/webhooks/)(?<secret>[A-Za-z0-9/_+-]+)""",
            Alone(NextWebhook),
            afterBoundary: false),
        new(["api.telegram.org"], """api\.telegram\.org/(?:file/)?bot(?<secret>[0-9]+:[A-Za-z0-9_-]+)""", Alone(NextTelegramUrl), afterBoundary: false),
    ];

    private static readonly SearchValues<string> TokenWords = SearchValues.Create(TokenFamilies.SelectMany(f => f.Words).ToArray(), StringComparison.Ordinal);

    /// <summary>
    /// The token words a match holds somewhere inside (a bot token's ":AA", a webhook's host or
    /// path); every other token word starts its match, right after a word boundary.
    /// </summary>
    private static readonly string[] TokenWordsInside = [":AA", "hooks.slack.com", "/api/webhooks/", "api.telegram.org"];

    /// <summary>
    /// Every family in one regex, as the token rule was before it was split: what the families
    /// together must find (tests compare; never built in an import).
    /// </summary>
    private static readonly LazyRule KnownTokenShapesRule = new(
        () => Rule(
            $"""\b(?<secret>{string.Join('|', TokenFamilies.Where(f => f.AfterBoundary).Select(f => f.Shape))})|"""
            + string.Join('|', TokenFamilies.Where(f => !f.AfterBoundary).Select(f => f.Pattern))));

    /// <summary>
    /// The token families over a run of lines: the scanner of each family whose words the run
    /// holds. With several, their tokens are taken leftmost first, each family searching on from
    /// where the last token taken ended, which is how the one rule of them all would find them
    /// (two families never match at the same place).
    /// </summary>
    private static string ReplaceTokens(string segment)
    {
        List<TokenFamily>? holding = null;
        foreach (var family in TokenFamilies)
        {
            if (segment.AsSpan().ContainsAny(family.WordsToFind))
            {
                (holding ??= []).Add(family);
            }
        }

        if (holding is null)
        {
            return segment;
        }

        // A family's next token stays good until the search has passed its start; one that found
        // nothing finds nothing further on either.
        var next = new Token?[holding.Count];
        var searched = new bool[holding.Count];
        return ReplaceFound(
            segment,
            (input, from) =>
            {
                Token? first = null;
                for (int i = 0; i < next.Length; i++)
                {
                    if (!searched[i] || (next[i] is { } known && known.Index < from))
                    {
                        next[i] = holding[i].Scan(input, from);
                        searched[i] = true;
                    }

                    if (next[i] is { } t && (first is null || t.Index < first.Value.Index))
                    {
                        first = t;
                    }
                }

                return first;
            },
            TokenValue);
    }

    // The shortest real token after each prefix (gitleaks and trufflehog give the lengths); a
    // shorter match is a word that happens to start the same way ("sk-ssh-ed25519", "xox-1").
    private static readonly (string Prefix, int MinLength)[] TokenMinimums =
    [
        ("github_pat_", 11 + 22), ("gh", 4 + 36), ("glsa_", 5 + 32 + 1 + 8), ("glc_", 4 + 32), ("gl", 5 + 20), ("tskey-", 6 + 10), ("hskey-", 6 + 20),
        ("AKIA", 20), ("ASIA", 20), ("ABIA", 20), ("ACCA", 20), ("A3T", 20), ("xox", 4 + 10), ("xapp-", 5 + 12),
        ("sk-proj-", 8 + 20), ("sk-svcacct-", 11 + 20), ("sk-admin-", 9 + 20), ("sk-ant-", 7 + 20), ("sk-", 3 + 32), ("sk_", 8 + 10), ("rk_", 8 + 10), ("whsec_", 6 + 24),
        ("SG.", 3 + 16 + 1 + 16), ("eyJ", 3 + 8 + 4 + 8 + 1), ("npm_", 4 + 36), ("pypi-", 8 + 50), ("hf_", 3 + 30), ("dop_v1_", 7 + 64), ("syt_", 4 + 10),
        ("AGE-SECRET-KEY-1", 16 + 58), ("AGE-PLUGIN-", 11 + 2 + 20), ("v1.0-", 5 + 24 + 1 + 146),
    ];

    private static bool TokenLongEnough(ReadOnlySpan<char> token)
    {
        foreach (var (prefix, min) in TokenMinimums)
        {
            if (token.StartsWith(prefix, StringComparison.Ordinal))
            {
                return token.Length >= min;
            }
        }

        // A Telegram bot token: 5 to 16 digits, ':', then 35 characters starting with AA.
        var colon = token.IndexOf(':');
        return colon is >= 5 and <= 16 && token.Length - colon - 1 >= 35;
    }

    private static string TokenValue(string input, Match m) => TokenValue(input, new Token(m.Index, m.Length, Place.Of(m.Groups["secret"])));

    private static string TokenValue(string input, Token token)
    {
        var secret = token.Secret.In(input);
        var whole = input.AsSpan(token.Index, token.Length);
        if (whole.StartsWith("api.telegram.org", StringComparison.Ordinal))
        {
            // In the API URL, anything after "bot" that has a colon is the bot's token.
            var colon = secret.IndexOf(':');
            return colon >= 5 && secret.Length - colon - 1 >= 30 ? Secret(input, token.Index, token.Length, token.Secret) : whole.ToString();
        }

        var isWebhook = token.Secret.Index > token.Index;
        return isWebhook || TokenLongEnough(secret) ? Secret(input, token.Index, token.Length, token.Secret) : whole.ToString();
    }
}
