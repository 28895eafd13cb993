using System.Text.RegularExpressions;
using Ledger.Core.Text;

namespace Ledger.Core.Tests;

/// <summary>
/// Issue 19, fourteenth session: the assignment, Authorization-header and command-line-flag rules
/// are found by hand (<c>Redactor.NextAssignment</c>, <c>NextAuthorizationHeader</c>,
/// <c>NextCommandLineFlag</c>) instead of by NonBacktracking regexes that cost an import 40 ms to
/// build. Each scanner must find exactly what its pattern finds: every match, at the same place,
/// with the same groups, on random texts made of the pattern's own pieces and of the characters
/// whose classes the scanners decide by hand (word characters for \b, white space for \s).
/// </summary>
public sealed class RedactorHitSpecs
{
    // Neither the Kelvin sign nor the long s nor the Turkish i's: text holding one runs the regex.
    private static readonly string[] Shared =
    [
        " ", "  ", "\t", "\n", "\r\n", "\r", "\"", "'", "\\", "\\\"", "\\\n", "\\\r", "=", ":", " = ", ": ", "x", "X1", "-", "_", ".", "é", "ǅ", "\u0301", "\u0903", "\u200D",
        "\u00A0", "\u2028", "\u0085", "$x", "${y}", ";", ",", "}", "{", "[", "]", "(", ")", "`", "|", "&", "?", "#", " #", "1", "42", "value", "[REDACTED:0123abcd]",
    ];

    private static readonly string[] AssignmentPieces =
    [
        "password", "PassWord", "pass", "passwd", "passphrase", "pwd", "secret", "token", "tokens", "api_key", "api-key", "apikey", "access_tokens", "access-tokens",
        "accesstokens", "secret_key_base", "secret-keybase", "secret_key", "private_key", "privatekey", "admin-key", "key", "psk", "credentials", "credential",
        "identified", "a.", "db_", "proxy_pass", "lib.", "LIB.", "mk", "mkForce", "MKFORCE", "mkOverride", "lib.mkDefault", "mkForce ", "mkOverride 10 ", " 10 ",
        "password = ", "token: ", "\"api_key\": ", "db_password=", "?token=", "&secret=", "PASSWORD='", "password = \"", "secret_key_base: ",
    ];

    private static readonly string[] AuthorizationPieces =
    [
        "Authorization", "authorization", "AUTHORIZATION", "Authorizatio", "Proxy-", "proxy-", "xProxy-", "Bearer", "bearer ", "Basic ", "Token", "Bot ",
        "Digest ", "Negotiate ", "MediaBrowser ", "Emby", "Authorization: Bearer ", "Authorization \"Bearer ", "abc", "Client=", "Token=",
    ];

    private static readonly string[] FlagPieces =
    [
        "--", "---", "password", "passwd", "passphrase", "pass", "PASS", "token", "secret", "api-key", "apikey", "auth-key", "authkey", "access-key",
        "secret-key", "db-", "x-", "X1-", "key", "api", "pass:", "Pass:", "--password=", "--db-password ", "--token ", "openssl -pass pass:", "--x--token=",
    ];

    public static TheoryData<string> Rules => ["assignment", "authorization", "flag"];

    [Theory]
    [MemberData(nameof(Rules))]
    public void The_scanner_finds_every_match_the_pattern_finds_with_the_same_groups(string rule)
    {
        var (pattern, next, pieces) = Rule(rule);
        var random = new Random(2026_12_07_14 + rule.Length);
        var matches = 0;
        var kinds = new HashSet<string>();
        for (int round = 0; round < 40_000; round++)
        {
            // Half the pieces are the pattern's own, half the characters around them.
            var text = string.Concat(Enumerable.Range(0, random.Next(1, 14)).Select(_ => random.Next(2) == 0 ? pieces[random.Next(pieces.Length)] : Shared[random.Next(Shared.Length)]));
            var expected = new List<Redactor.Hit>();
            for (var m = pattern.Match(text); m.Success; m = m.NextMatch())
            {
                expected.Add(Redactor.Hit.Of(m));
            }

            var found = new List<Redactor.Hit>();
            for (var hit = next(text, 0); hit is { } h; hit = h.End < text.Length ? next(text, h.End) : null)
            {
                found.Add(h);
            }

            found.ShouldBe(expected, Show(text));
            matches += found.Count;
            foreach (var h in found)
            {
                kinds.Add(h.Dq.Success ? "dq" : h.Sq.Success ? "sq" : h.Bare.Success ? "bare" : "secret");
                if (h.Query.Success)
                {
                    kinds.Add("query");
                }
            }
        }

        // The texts were not all without matches, and the values took every form the rule has.
        matches.ShouldBeGreaterThan(5_000);
        kinds.ShouldBeSubsetOf(["dq", "sq", "bare", "secret", "query"]);
        kinds.Count.ShouldBe(rule switch { "assignment" => 4, "flag" => 3, _ => 1 });
    }

    [Theory]
    [InlineData("password = mkForce \"x\"", "x")]
    [InlineData("password = lib.mkOverride 10 \"x\"", "x")]
    [InlineData("password = mkOverride 10 ;", "10 ")]
    [InlineData("password = mkForce ;", "mkForce ")]
    [InlineData("a.password=abc", "abc")]
    [InlineData("x?token=abc&y=1", "abc&y=1")]
    [InlineData("\"api_key\": \"abc\"", "abc")]
    public void An_assignment_value_is_where_the_pattern_puts_it(string text, string value)
    {
        // Act
        var hit = Redactor.NextAssignment(text, 0);

        // Assert
        hit.ShouldNotBeNull();
        var h = hit.Value;
        (h.Dq.Success ? h.Dq : h.Sq.Success ? h.Sq : h.Bare).In(text).ToString().ShouldBe(value);
        h.ShouldBe(Redactor.Hit.Of(Redactor.AssignmentPattern.Match(text)));
    }

    [Theory]
    [InlineData("éPassword=x")] // no word boundary before the key
    [InlineData("password\n= x")]
    [InlineData("password = \"unterminated")]
    [InlineData("passwords = x")]
    [InlineData("password = \"abc\\\ndef\"")] // '.' after the backslash is anything but a line break
    public void No_assignment_where_the_pattern_finds_none(string text)
    {
        Redactor.AssignmentPattern.IsMatch(text).ShouldBeFalse();
        Redactor.NextAssignment(text, 0).ShouldBeNull();
    }

    [Theory]
    [InlineData("---password=x", 1)]
    [InlineData("--x-api-key=v", 0)]
    [InlineData("--x--token=v", 3)]
    [InlineData("openssl -pass pass:x", 14)]
    public void A_flag_starts_where_the_pattern_starts_it(string text, int start)
    {
        var hit = Redactor.NextCommandLineFlag(text, 0);
        hit.ShouldNotBeNull();
        hit.Value.Index.ShouldBe(start);
        hit.Value.ShouldBe(Redactor.Hit.Of(Redactor.CommandLineFlagPattern.Match(text)));
    }

    [Fact]
    public void Word_characters_are_those_of_the_word_boundary_for_every_character()
    {
        var boundary = new Regex(@"\b", RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
        for (int c = 0; c <= char.MaxValue; c++)
        {
            Redactor.IsBoundaryWordChar((char)c).ShouldBe(boundary.IsMatch(((char)c).ToString()), $"U+{c:X4}");
        }
    }

    [Fact]
    public void White_space_is_that_of_the_pattern_for_every_character()
    {
        var space = new Regex(@"\s", RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
        for (int c = 0; c <= char.MaxValue; c++)
        {
            char.IsWhiteSpace((char)c).ShouldBe(space.IsMatch(((char)c).ToString()), $"U+{c:X4}");
        }
    }

    [Fact]
    public void Every_character_a_pattern_reads_as_an_ASCII_letter_is_one_that_sends_text_to_the_regex()
    {
        // The scanners compare letters as ASCII; any other character a case-insensitive pattern
        // takes for one must be among those that make the redactor run the regexes instead.
        for (var letter = 'a'; letter <= 'z'; letter++)
        {
            var pattern = new Regex($"[{letter}]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
            for (int c = 128; c <= char.MaxValue; c++)
            {
                if (pattern.IsMatch(((char)c).ToString()))
                {
                    Redactor.FoldsOntoAsciiLetter((char)c).ShouldBeTrue($"U+{c:X4} reads as '{letter}'");
                }
            }
        }
    }

    [Fact]
    public void Redaction_by_hand_equals_redaction_by_the_patterns()
    {
        // Arrange: the lines the three rules exist for.
        var text = string.Join('\n',
            "+  services.foo.password = \"hunter2-is-long\";",
            "+export API_TOKEN=abcdef123456",
            "-    auth_header=\"Authorization: Bearer eyJabc.def.ghi\"",
            "+curl -H 'Authorization: token abc123def456' https://x",
            "+  config.sh remove --token \"$(cat /run/token)\" --password s3cr3t-value",
            "+openssl enc -pass pass:verysecret -in x",
            "+url = \"https://example.org/?x=1&token=abcdef123\"");

        // Act
        var byHand = Redactor.Default.Redact(text);

        // Assert
        byHand.ShouldBe(Redactor.Default.RedactEverywhere(text));
        byHand.ShouldNotContain("hunter2-is-long");
        byHand.ShouldNotContain("abc123def456");
        byHand.ShouldNotContain("s3cr3t-value");
        byHand.ShouldNotContain("verysecret");
    }

    private static (Regex Pattern, Func<string, int, Redactor.Hit?> Next, string[] Pieces) Rule(string rule) => rule switch
    {
        "assignment" => (Redactor.AssignmentPattern, Redactor.NextAssignment, AssignmentPieces),
        "authorization" => (Redactor.AuthorizationHeaderPattern, Redactor.NextAuthorizationHeader, AuthorizationPieces),
        _ => (Redactor.CommandLineFlagPattern, Redactor.NextCommandLineFlag, FlagPieces),
    };

    private static string Show(string text) => text.Replace("\r", "␍").Replace("\n", "⏎").Replace("\t", "⇥");
}
