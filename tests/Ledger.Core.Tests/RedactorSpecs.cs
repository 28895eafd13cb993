using System.Text.RegularExpressions;
using Ledger.Core.Text;

namespace Ledger.Core.Tests;

public partial class RedactorSpecs
{
    [Fact]
    public void A_nix_password_is_replaced_by_a_marker()
    {
        // Arrange
        var text = """users.users.alice.password = "hunter2";""";

        // Act
        var redacted = Redactor.Default.Redact(text);

        // Assert
        redacted.ShouldNotContain("hunter2");
        WithoutFingerprints(redacted).ShouldBe("""users.users.alice.password = "[REDACTED]";""");
    }

    [Fact]
    public void A_nix_hashed_password_is_replaced_by_a_marker()
    {
        // Arrange
        var text = """users.users.alice.hashedPassword = "$6$Qb8yE2Kc$3nV0c0hJ4lI6Zl9eX2q7m1w/8kFz.Pq5rS";""";

        // Act
        var redacted = Redactor.Default.Redact(text);

        // Assert
        redacted.ShouldNotContain("3nV0c0hJ4lI6Zl9eX2q7m1w");
        WithoutFingerprints(redacted).ShouldBe("""users.users.alice.hashedPassword = "[REDACTED]";""");
    }

    [Fact]
    public void A_password_file_path_stays_readable()
    {
        // Arrange
        var text = """services.grafana.settings.security.admin_passwordFile = "/run/secrets/grafana";""";

        // Act
        var redacted = Redactor.Default.Redact(text);

        // Assert
        redacted.ShouldBe(text);
    }

    [Fact]
    public void An_environment_api_key_is_replaced_by_a_marker()
    {
        // Arrange
        var text = "API_KEY=abc123\nLOG_LEVEL=debug\n";

        // Act
        var redacted = Redactor.Default.Redact(text);

        // Assert
        WithoutFingerprints(redacted).ShouldBe("API_KEY=[REDACTED]\nLOG_LEVEL=debug\n");
    }

    [Fact]
    public void A_yaml_token_is_replaced_by_a_marker()
    {
        // Arrange
        var text = "github:\n  token: abc\n  owner: ledger\n";

        // Act
        var redacted = Redactor.Default.Redact(text);

        // Assert
        WithoutFingerprints(redacted).ShouldBe("github:\n  token: [REDACTED]\n  owner: ledger\n");
    }

    [Fact]
    public void A_json_secret_is_replaced_by_a_marker()
    {
        // Arrange
        var text = """{ "client": "ledger", "secret": "abc" }""";

        // Act
        var redacted = Redactor.Default.Redact(text);

        // Assert
        WithoutFingerprints(redacted).ShouldBe("""{ "client": "ledger", "secret": "[REDACTED]" }""");
    }

    [Theory]
    [InlineData("""password = "correct horse battery staple";""", "correct horse battery staple")]
    [InlineData("""password = "p4ss#word";""", "p4ss#word")]
    [InlineData("""password = "p4ss;word";""", "p4ss;word")]
    [InlineData("""password = "p4ss,word";""", "p4ss,word")]
    [InlineData("""password = "it's";""", "it's")]
    public void A_quoted_password_with_spaces_or_punctuation_is_replaced_whole(string text, string secret)
    {
        // Act
        var redacted = Redactor.Default.Redact(text);

        // Assert
        redacted.ShouldNotContain(secret);
        WithoutFingerprints(redacted).ShouldBe("""password = "[REDACTED]";""");
    }

    [Fact]
    public void A_private_key_block_keeps_its_armour_lines_and_loses_its_body()
    {
        // Arrange
        var text = """
            -----BEGIN OPENSSH PRIVATE KEY-----
            b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
            QyNTUxOQAAACCm3yEXAMPLEONLYnotarealkeyAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
            -----END OPENSSH PRIVATE KEY-----

            """;

        // Act
        var redacted = Redactor.Default.Redact(text);

        // Assert
        redacted.ShouldNotContain("b3BlbnNzaC1rZXktdjE");
        WithoutFingerprints(redacted).ShouldBe("""
            -----BEGIN OPENSSH PRIVATE KEY-----
            [REDACTED]
            -----END OPENSSH PRIVATE KEY-----

            """);
    }

    [Fact]
    public void An_age_armoured_file_keeps_its_armour_lines_and_loses_its_body()
    {
        // Arrange
        var text = """
            -----BEGIN AGE ENCRYPTED FILE-----
            YWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOSBFWEFNUExFT05MWQo=
            -----END AGE ENCRYPTED FILE-----

            """;

        // Act
        var redacted = Redactor.Default.Redact(text);

        // Assert
        redacted.ShouldNotContain("YWdlLWVuY3J5cHRpb24");
        WithoutFingerprints(redacted).ShouldBe("""
            -----BEGIN AGE ENCRYPTED FILE-----
            [REDACTED]
            -----END AGE ENCRYPTED FILE-----

            """);
    }

    [Fact]
    public void A_sops_encrypted_value_is_replaced_by_a_marker_whatever_its_key()
    {
        // Arrange
        var text = "smtp_host: ENC[AES256_GCM,data:c210cC5leGFtcGxlLm9yZw==,iv:q0mJ8o1xZ3w=,tag:Vb2d8Q==,type:str]\n";

        // Act
        var redacted = Redactor.Default.Redact(text);

        // Assert
        WithoutFingerprints(redacted).ShouldBe("smtp_host: [REDACTED]\n");
    }

    [Fact]
    public void A_url_loses_its_password_and_keeps_user_and_host()
    {
        // Arrange
        var text = "DATABASE_URL=postgres://ledger:s3cr3t@db.internal:5432/ledger";

        // Act
        var redacted = Redactor.Default.Redact(text);

        // Assert
        redacted.ShouldNotContain("s3cr3t");
        WithoutFingerprints(redacted).ShouldBe("DATABASE_URL=postgres://ledger:[REDACTED]@db.internal:5432/ledger");
    }

    [Fact]
    public void A_bearer_token_in_an_authorization_header_is_replaced_by_a_marker()
    {
        // Arrange
        var text = "Authorization: Bearer abc.def\nAccept: application/json\n";

        // Act
        var redacted = Redactor.Default.Redact(text);

        // Assert
        WithoutFingerprints(redacted).ShouldBe("Authorization: Bearer [REDACTED]\nAccept: application/json\n");
    }

    [Fact]
    public void The_same_secret_gives_the_same_marker_wherever_it_appears()
    {
        // Act
        var inNix = Redactor.Default.Redact("""password = "hunter2";""");
        var inEnv = Redactor.Default.Redact("API_KEY=hunter2");

        // Assert
        FingerprintIn(inNix).ShouldBe(FingerprintIn(inEnv));
    }

    [Fact]
    public void A_changed_secret_gives_a_different_marker()
    {
        // Act
        var before = Redactor.Default.Redact("""password = "hunter2";""");
        var after = Redactor.Default.Redact("""password = "hunter3";""");

        // Assert
        FingerprintIn(before).ShouldNotBe(FingerprintIn(after));
    }

    [Fact]
    public void Text_without_secrets_comes_back_unchanged()
    {
        // Arrange
        var text = """
            { config, pkgs, ... }:
            {
              networking.hostName = "box";
              services.openssh.settings.PasswordAuthentication = false;
              users.users.alice.hashedPasswordFile = "/run/secrets/alice";
              services.nginx.virtualHosts."example.org".locations."/".proxyPass = "http://127.0.0.1:3000";
              environment.systemPackages = [ pkgs.git pkgs.htop ];
            }

            """;

        // Act
        var redacted = Redactor.Default.Redact(text);

        // Assert
        redacted.ShouldBe(text);
    }

    [Fact]
    public void Empty_text_comes_back_empty()
    {
        // Act
        var redacted = Redactor.Default.Redact("");

        // Assert
        redacted.ShouldBe("");
    }

    [Fact]
    public void Extra_patterns_from_the_constructor_are_redacted_too()
    {
        // Arrange
        // (GitHub tokens are caught by the built-in rules now; an in-house id is what admins add.)
        var text = "REF=MEDIABOX-INTERNAL-0042\n";
        var redactor = new Redactor([@"MEDIABOX-INTERNAL-[0-9]+"]);

        // Act
        var redacted = redactor.Redact(text);

        // Assert
        Redactor.Default.Redact(text).ShouldBe(text);
        WithoutFingerprints(redacted).ShouldBe("REF=[REDACTED]\n");
    }

    [Theory]
    [InlineData("GITHUB_TOKEN ghp_1a2B3c4D5e6F7g8H9i0JkLmNoPqRsTuVwXyZ12 in a log line", "ghp_1a2B3c4D5e6F7g8H9i0JkLmNoPqRsTuVwXyZ12")]
    [InlineData("key id AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE")]
    [InlineData("slack xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx", "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx")]
    [InlineData("url https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXX", "T00000000/B00000000/XXXXXXXXXXXX")]
    [InlineData("dbpass = \"nc-db-S3cret\";", "nc-db-S3cret")]
    [InlineData("secret_key = \"SW2YcwTIb9zpOOhoPsMm\";", "SW2YcwTIb9zpOOhoPsMm")]
    public void Token_shapes_and_more_key_names_are_redacted(string text, string secret)
    {
        Redactor.Default.Redact(text).ShouldNotContain(secret);
    }

    [Fact]
    public void A_proxy_pass_url_is_not_a_password()
    {
        var text = "locations.\"/\".proxyPass = \"http://127.0.0.1:3000\";";

        Redactor.Default.Redact(text).ShouldBe(text);
    }

    // Fingerprints are hashes; the specs compare the text around them and compare markers with each other.
    [Theory]
    [InlineData("security.sudo.wheelNeedsPassword = false;")]
    [InlineData("services.openssh.settings.PasswordAuthentication = true;")]
    [InlineData("token: null")]
    public void Booleans_and_null_after_a_secret_word_are_settings_not_secrets(string text)
    {
        Redactor.Default.Redact(text).ShouldBe(text);
    }

    [Fact]
    public void A_key_with_nothing_after_the_colon_does_not_swallow_the_next_line()
    {
        var text = "token:\n  nested: value\n";

        Redactor.Default.Redact(text).ShouldBe(text);
    }

    [Fact]
    public void A_url_password_with_an_unescaped_at_sign_is_removed_whole()
    {
        var redacted = Redactor.Default.Redact("postgres://u:p@ss@db.lan/ledger");

        WithoutFingerprints(redacted).ShouldBe("postgres://u:[REDACTED]@db.lan/ledger");
    }

    private static string WithoutFingerprints(string redacted) => Marker().Replace(redacted, "[REDACTED]");

    [Theory]
    [InlineData("API_TOKEN=abcdef123456", "abcdef123456")]
    [InlineData("  db.PassWord: 'correct horse'", "correct horse")]
    [InlineData("AUTHORIZATION: Bearer abcdef123456", "abcdef123456")]
    [InlineData("api\u212Aey = kelvinsecret1", "kelvinsecret1")] // KELVIN SIGN: the regex folds it to k, an ASCII word search would not
    [InlineData("Wi-Fi PSK = p\u00e4ssw\u00f6rt", "p\u00e4ssw\u00f6rt")]
    public void The_word_prefilter_never_skips_a_line_its_rule_would_redact(string line, string secret)
    {
        // The rules run only on text holding their words; text with anything but ASCII always runs them.

        // Act
        var redacted = Redactor.Default.Redact(Regex.Unescape(line));

        // Assert
        redacted.ShouldNotContain(Regex.Unescape(secret));
        redacted.ShouldContain("[REDACTED:");
    }

    [Fact]
    public void Lines_without_any_rule_word_come_back_unchanged()
    {
        // Arrange
        var text = "  services.jellyfin.enable = true;\n  networking.firewall.allowedTCPPorts = [ 8096 ];\n";

        // Act
        var redacted = Redactor.Default.Redact(text);

        // Assert
        redacted.ShouldBe(text);
    }

    private static string FingerprintIn(string redacted) => Marker().Matches(redacted).ShouldHaveSingleItem().Value;

    [GeneratedRegex(@"\[REDACTED:[0-9a-f]{8}\]")]
    private static partial Regex Marker();
}
