using System.Text.RegularExpressions;
using Ledger.Core.Text;

namespace Ledger.Core.Tests;

/// <summary>
/// Issue 19, eighteenth session: the provider-token families are found by hand
/// (<c>Redactor.TokenScanners.cs</c>) instead of by a NonBacktracking regex per family (about 3 ms
/// of CPU to build each, and its tables kept for the process). Each family's scanner must find
/// exactly what its pattern finds: every match, at the same place, with the same secret, on
/// random texts made of the patterns' own pieces and of the characters around them (word
/// characters of every kind for \b, the classes' edges, the characters a run stops at).
/// </summary>
public sealed class RedactorTokenScannerSpecs
{
    private static readonly string[] Pieces =
    [
        // The families' words and what follows them in their shapes.
        "gh", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "ghx_", "github_pat_", "gl", "glpat-", "glptt-", "gldt-", "glrt-", "glcbt-", "glsoat-", "glffct-", "glimt-",
        "gloas-", "glagent-", "glsa_", "glc_", "tskey-", "hskey-", "hskey-api-", "AKIA", "ASIA", "ABIA", "ACCA", "A3T", "A3", "xox", "xoxb-", "xoxz-", "xapp-",
        "xapp-1-", "sk-", "sk_", "rk_", "sk-proj-", "sk-svcacct-", "sk-admin-", "sk-ant-", "sk_live_", "rk_test_", "live_", "test_", "whsec_", "SG.", "eyJ",
        ".eyJ", "npm_", "pypi-", "pypi-AgE", "hf_", "dop_v1_", "syt_", "AGE-", "AGE-SECRET-KEY-1", "AGE-PLUGIN-", "-1", "-1Q", "1", "v1.0-", ":AA", ":A",
        "https://", "hooks.slack.com/", "services/", "workflows/", "triggers/", "ptb.", "canary.", "discord", "app", ".com/api/webhooks/", "discordapp.com/api/webhooks/",
        "api.telegram.org/", "api.telegram.org", "file/", "bot", "bot12345:", "123456789",

        // Whole shapes and parts of them, for the families of several parts.
        "AKIAQ0", "A3TQ", "ACCAZ", "SG.abc.def", "SG.a_b-c.", "eyJa.eyJb.c", "eyJa.eyJb.", "eyJ.eyJ", "v1.0-abc-def", "v1.0-0-f", "v1.0-ab-", "v1.0--0", "123:AAabc", "9:AA-", "xapp-12-ab", "hskey-a-b",
        "glsa_ab_0f", "glsa_ab_", "glc_ab+/==", "glc_=", "AGE-PLUGIN-X-1Q", "AGE-PLUGIN-YUBI-1QQ-1Q", "AGE-SECRET-KEY-1QZ", "https://discord.com/api/webhooks/",
        "https://hooks.slack.com/services/", "https://hooks.slack.com/triggers/", "https://canary.discord.com/api/webhooks/", "https://ptb.discordapp.com/api/webhooks/",
        "https://discordapp.com/api/webhook/", "api.telegram.org/bot1:", "api.telegram.org/file/bot12:", "api.telegram.org/bot:", "api.telegram.org/file/bo",

        // Runs of the classes, and their edges.
        "ABCDEFGHIJKLMNOP", "abcdef0123456789", "0123", "9", "Zz9_", "QRSTUVWXYZ-abc", "A", "Q", "B", "I", "O", "z", "=", "==", "+", "/", "-", "_", ".", ":",
    ];

    private static readonly string[] Around =
    [
        " ", "\n", "\r\n", "\t", "\"", "'", "x", "é", "ǅ", "\u0301", "\u0903", "\u200D", "\u00A0", "٣", "_", "-", "(", "{", "@", "#",
    ];

    public static TheoryData<int> Families => [.. Enumerable.Range(0, Redactor.TokenFamilyCount)];

    [Theory]
    [MemberData(nameof(Families))]
    public void The_scanner_finds_every_token_the_familys_pattern_finds_with_the_same_secret(int family)
    {
        var pattern = Redactor.TokenFamilyPattern(family);
        var random = new Random(2026_12_08_18 + family);
        var matches = 0;
        for (int round = 0; round < 12_000; round++)
        {
            var text = string.Concat(Enumerable.Range(0, random.Next(1, 12)).Select(_ => random.Next(3) == 0 ? Around[random.Next(Around.Length)] : Pieces[random.Next(Pieces.Length)]));

            Found(text, (t, from) => pattern.Match(t, from) is { Success: true } m ? Of(m) : null)
                .ShouldBe(Found(text, (t, from) => Redactor.NextTokenOf(family, t, from)), $"family {family}: {Show(text)}");
            matches += Found(text, (t, from) => Redactor.NextTokenOf(family, t, from)).Count;
        }

        // Every family's shape came up often enough for the comparison to mean something.
        matches.ShouldBeGreaterThan(200, pattern.ToString());
    }

    [Theory]
    [InlineData("AGE-PLUGIN-YUBIKEY-1QQQ-1QQQQ", "AGE-PLUGIN-YUBIKEY-1QQQ-1QQQQ")]
    [InlineData("AGE-PLUGIN-YUBIKEY-1QQQ-1", "AGE-PLUGIN-YUBIKEY-1QQQ")]
    [InlineData("AGE-PLUGIN--1Q", null)]
    [InlineData("AGE-PLUGIN-X-1QB", "AGE-PLUGIN-X-1Q")]
    [InlineData("x123456789:AAHabc", null)]
    [InlineData("٣123456789:AAHabc", null)]
    [InlineData("(123456789:AAHabc", "123456789:AAHabc")]
    [InlineData("sk-proj-", "sk-proj")]
    [InlineData("https://ptb.discordapp.com/api/webhooks/1/abc", "https://ptb.discordapp.com/api/webhooks/1/abc")]
    [InlineData("https://ptb.canary.discord.com/api/webhooks/1/abc", null)]
    [InlineData("api.telegram.org/file/bot123:abc", "api.telegram.org/file/bot123:abc")]
    public void A_token_ends_where_the_pattern_ends_it(string text, string? token)
    {
        var byPattern = Enumerable.Range(0, Redactor.TokenFamilyCount).Select(f => Redactor.TokenFamilyPattern(f).Match(text)).FirstOrDefault(m => m.Success)?.Value;
        var byHand = Enumerable.Range(0, Redactor.TokenFamilyCount).Select(f => Redactor.NextTokenOf(f, text, 0)).FirstOrDefault(t => t is not null);

        byPattern.ShouldBe(token);
        (byHand is { } t ? text.Substring(t.Index, t.Length) : null).ShouldBe(token);
    }

    private static Redactor.Token Of(Match m)
    {
        var secret = m.Groups["secret"];
        return new Redactor.Token(m.Index, m.Length, secret.Success ? new Redactor.Place(secret.Index, secret.Length) : Redactor.Place.None);
    }

    private static List<Redactor.Token> Found(string text, Func<string, int, Redactor.Token?> next)
    {
        var found = new List<Redactor.Token>();
        for (var token = next(text, 0); token is { } t; token = t.Index + t.Length < text.Length ? next(text, t.Index + t.Length) : null)
        {
            found.Add(t);
        }

        return found;
    }

    private static string Show(string text) => text.Replace("\r", "␍").Replace("\n", "⏎").Replace("\t", "⇥");
}
