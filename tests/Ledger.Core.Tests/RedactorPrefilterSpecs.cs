using Ledger.Core.Text;

namespace Ledger.Core.Tests;

/// <summary>
/// Each built-in rule runs only where the text holds what it cannot match without (its words, a
/// marker, a shape), and some only on the lines that hold them: the rules are most of an import's
/// own work. Those checks must never change what is redacted. Three did (issue 19, eighth
/// session): SQL's PASSWORD with more than two blanks before its quote, a YAML block value with
/// two blanks or a tab before its '|', and curl's -u at the start of a line all went unredacted.
/// A fourth (tenth session, found on EmergentMind's history): two indented lines of a diff that the
/// key body rule takes for key-width lines (it counts a line's width with its indentation), whose
/// base64 runs were shorter than the 60 characters the check looked for.
/// </summary>
public sealed class RedactorPrefilterSpecs
{
    // Words, markers and separators of every rule, in both cases, with the blanks and line breaks
    // between them that the rules allow; and secrets' bodies to complete them.
    private static readonly string[] Fragments =
    [
        "password", "PASSWORD", "passwd", "pass", "pass:", "secret", "token", "api_key", "Key", "psk", "credentials", "identified", "IDENTIFIED", " BY ", "WITH ",
        " ", "  ", "   ", "\t", " \t", "\n", "\r\n", "'", "''", "\"", "=", ":", ": ", ":  ", ":\t", "|", ">", "|-", ";", ",", "{", "}", "(", ")", "[", "]", "#",
        "-u", "-U", " -u ", "\n-u ", "--user", "--password=", "--token ", "-p", "mysql ", "sshpass -p ", "redis-cli -a ", "curl ",
        "login ", "machine ", ":5432:", ":*:", "db:", "://", "https://", "@", "user:", "admin", "auth", "\"auth\": ", "Authorization: ", "Bearer ", "Basic ",
        "</", "<password>", "<apiKey>", "ENC[AES256_GCM,data:", "-----BEGIN ", "-----END ", "PRIVATE KEY-----", "$6$", "$2b$", "{SSHA}", "$argon2id$",
        "lib.mkForce ", "mkDefault ", "cache-1:", "ghp_", "sk-", "eyJ", "AKIA", ":AA", "+", "-", "@@ -1,2 +1,2 @@\n",
        "hunter2-s3cret", "Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4", "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345", "x",
        "é", "\u212A", "\u017F", "\u00A0",
        "PaSs:", "Identified", "PassWord", ":65535:", ":123456:", "h:5432", "*:",
        "key-1:r9dNB3Bs1O/P4uKfh0fhHm1qXvXFGCDrcNvQy0Kd9L3PKnhqNDdPqH4cXmVuJIRk0vGjC2K+cTp7l8t0sLQbZV", "==", "ENC[AES256_GCM,data:", "r9dNB3Bs1O/P4uKfh0fhHm1qXvXFGCDrcNvQy0Kd9L3PKnhqNDdPqH4cXmVuJIRk0vGjC2K+cTp7l8t0sLQbZV",
        "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj\n", "  ", "+ ", "- ",
    ];

    // The same, fewer and closer to the rules' own grammar, for texts of a few lines.
    private static readonly string[] Words =
    [
        "password", "PASSWORD", "Secret", "token", "key", "identified", "BY", "WITH", "login", "machine", "mysql", "sshpass", "-p", "-u", "-U", "--user", "--token",
        "curl", "admin:", "user", ":", "=", "'", "\"", "''", "|", ">", "-", "+", "@", "://", "auth", "Bearer", "s3cret-value", "\n", "\n  ", "db:5432:app:app:",
    ];

    private static readonly string[] Blanks = ["", "", " ", "  ", "   ", "\t", " \t"];

    [Fact]
    public void What_the_prefilters_skip_is_what_no_rule_would_have_matched()
    {
        var random = new Random(1519);
        var redacted = 0;
        for (int round = 0; round < 40_000; round++)
        {
            // Half of the texts from the fragments, half from the words with blanks of every width between them.
            var text = round % 2 == 0
                ? string.Concat(Enumerable.Range(0, random.Next(2, 12)).Select(_ => Fragments[random.Next(Fragments.Length)]))
                : string.Concat(Enumerable.Range(0, random.Next(2, 9)).Select(_ => Words[random.Next(Words.Length)] + Blanks[random.Next(Blanks.Length)]));

            var everywhere = Redactor.Default.RedactEverywhere(text);

            Redactor.Default.Redact(text).ShouldBe(everywhere, $"round {round}: {text.ReplaceLineEndings("⏎")}");
            redacted += everywhere == text ? 0 : 1;
        }

        redacted.ShouldBeGreaterThan(4000, "enough texts hold a secret for the comparison to mean something");
    }

    [Theory]
    [InlineData("ALTER ROLE immich WITH PASSWORD   'sql-secret';")]
    [InlineData("password:\t|\n  block-secret\n")]
    [InlineData("curl \\\n-u admin:curl-secret http://127.0.0.1/")]
    [InlineData("+        age00000000000000000000000000000000000000000000000000\n+        age00000000000000000000000000000000000000000000000000\n")]
    [InlineData("MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj\n+\n- MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj\r\n")]
    public void The_texts_that_went_unredacted_are_redacted_as_the_rules_say(string text)
    {
        Redactor.Default.Redact(text).ShouldBe(Redactor.Default.RedactEverywhere(text));
        Redactor.Default.Redact(text).ShouldContain("[REDACTED:");
    }
}
