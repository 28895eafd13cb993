using System.Text.RegularExpressions;
using Ledger.Core.Text;

namespace Ledger.Core.Tests;

/// <summary>Issue 15: redacting twice changes nothing, and a secret always gives the same fingerprint.</summary>
public partial class RedactorIdempotencySpecs
{
    [Theory]
    [MemberData(nameof(SecretSamples.Names), MemberType = typeof(SecretSamples))]
    public void Redacting_a_redacted_sample_changes_nothing_issue_15(string name)
    {
        // Arrange
        var sample = SecretSamples.Named(name);
        var once = Redactor.Default.Redact(sample.Text);

        // Act
        var twice = Redactor.Default.Redact(once);

        // Assert
        twice.ShouldBe(once);
    }

    [Theory]
    [MemberData(nameof(SecretSamples.Names), MemberType = typeof(SecretSamples))]
    public void Redacting_a_redacted_diff_changes_nothing_issue_15(string name)
    {
        // Arrange
        var sample = SecretSamples.Named(name);
        var diff = "@@ -1,3 +1,3 @@\n" + string.Join('\n', sample.Text.Split('\n').Select(l => "+" + l)) + "\n" + string.Join('\n', sample.Text.Split('\n').Select(l => " " + l));
        var once = Redactor.Default.Redact(diff);

        // Act
        var twice = Redactor.Default.Redact(once);

        // Assert
        twice.ShouldBe(once);
    }

    [Theory]
    [InlineData("password = \"[REDACTED:abcd1234]\";")]
    [InlineData("API_KEY=[REDACTED:abcd1234]")]
    [InlineData("<ApiKey>[REDACTED:abcd1234]</ApiKey>")]
    [InlineData("Authorization: Bearer [REDACTED:abcd1234]")]
    [InlineData("postgres://ledger:[REDACTED:abcd1234]@db.lan/ledger")]
    [InlineData("-----BEGIN OPENSSH PRIVATE KEY-----\n[REDACTED:abcd1234]\n-----END OPENSSH PRIVATE KEY-----\n")]
    [InlineData("secret: |\n  [REDACTED:abcd1234]\nnext: 1\n")]
    [InlineData("password = ''\n  [REDACTED:abcd1234]\n'';\n")]
    [InlineData("curl -u admin:[REDACTED:abcd1234] http://x")]
    [InlineData("https://api.telegram.org/bot[REDACTED:abcd1234]/sendMessage")]
    public void A_fingerprint_is_never_fingerprinted_again(string text)
    {
        Redactor.Default.Redact(text).ShouldBe(text);
    }

    [Fact]
    public void An_admin_pattern_that_matches_a_fingerprint_leaves_it_alone()
    {
        var redactor = new Redactor([@"[0-9a-f]{8}"]);
        var once = redactor.Redact("commit deadbeef and password = \"hunter2\"");

        redactor.Redact(once).ShouldBe(once);
    }

    [Fact]
    public void Random_text_with_secrets_redacts_to_a_fixed_point()
    {
        // Arrange
        var random = new Random(15);
        var pieces = SecretSamples.All.Select(s => s.Text).Concat(["password", " = ", "\"", "'", ":", "\n", "  ", "+", "-", "@", "://", "[REDACTED:", "]", "$6$", "|", "''", "token", "-----END PRIVATE KEY-----"]).ToArray();

        for (var round = 0; round < 200; round++)
        {
            var text = string.Concat(Enumerable.Range(0, 12).Select(_ => pieces[random.Next(pieces.Length)]));

            // Act
            var once = Redactor.Default.Redact(text);

            // Assert
            Redactor.Default.Redact(once).ShouldBe(once, $"not idempotent on:\n{text}");
        }
    }

    [Fact]
    public void A_secret_gives_the_same_fingerprint_in_every_shape()
    {
        // Arrange
        const string secret = "Rotated-Secret-2026";
        string[] shapes = [$"password = \"{secret}\";", $"DB_PASSWORD={secret}", $"password: '{secret}'", $"<Password>{secret}</Password>", $"postgres://u:{secret}@db/x", $"--password={secret}", $"machine h login u password {secret}"];

        // Act
        var markers = shapes.Select(s => Marker().Match(Redactor.Default.Redact(s)).Value).Distinct().ToList();

        // Assert
        markers.ShouldBe([Redactor.Fingerprint(secret)]);
    }

    [GeneratedRegex(@"\[REDACTED:[0-9a-f]{8}\]")]
    private static partial Regex Marker();
}
