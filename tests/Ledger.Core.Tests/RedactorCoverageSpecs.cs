using System.Text.RegularExpressions;
using Ledger.Core.Text;

namespace Ledger.Core.Tests;

/// <summary>Issue 15: every realistic secret of <see cref="SecretSamples"/> is redacted, wherever it stands.</summary>
public partial class RedactorCoverageSpecs
{
    [Fact]
    public void The_samples_hold_at_least_sixty_distinct_secrets()
    {
        SecretSamples.All.SelectMany(s => s.Secrets).Distinct().Count().ShouldBeGreaterThanOrEqualTo(60);
    }

    [Theory]
    [MemberData(nameof(SecretSamples.Names), MemberType = typeof(SecretSamples))]
    public void A_realistic_secret_is_redacted_issue_15(string name)
    {
        // Arrange
        var sample = SecretSamples.Named(name);

        // Act
        var redacted = Redactor.Default.Redact(sample.Text);

        // Assert
        foreach (var secret in sample.Secrets)
        {
            redacted.ShouldNotContain(secret, Case.Sensitive, $"'{secret}' survived in:\n{redacted}");
        }

        redacted.ShouldContain("[REDACTED:");
        redacted.ShouldNotContain("withheld", Case.Sensitive, "a rule failed and the whole text was withheld");
    }

    [Theory]
    [MemberData(nameof(SecretSamples.Names), MemberType = typeof(SecretSamples))]
    public void A_realistic_secret_is_redacted_on_the_added_lines_of_a_diff_issue_15(string name)
    {
        // Arrange
        var sample = SecretSamples.Named(name);
        var isDiffAlready = sample.Text.StartsWith("@@", StringComparison.Ordinal) || sample.Text.StartsWith('+');
        var diff = isDiffAlready ? sample.Text : "@@ -1,0 +1,40 @@\n" + string.Join('\n', sample.Text.Split('\n').Select(l => "+" + l));

        // Act
        var redacted = Redactor.Default.Redact(diff);

        // Assert
        foreach (var secret in sample.Secrets)
        {
            redacted.ShouldNotContain(secret, Case.Sensitive, $"'{secret}' survived in:\n{redacted}");
        }
    }

    [Fact]
    public void All_samples_in_one_file_lose_every_secret_issue_15()
    {
        // Arrange
        var text = string.Join("\n\n", SecretSamples.All.Select(s => s.Text));

        // Act
        var redacted = Redactor.Default.Redact(text);

        // Assert
        foreach (var secret in SecretSamples.All.SelectMany(s => s.Secrets))
        {
            redacted.ShouldNotContain(secret, Case.Sensitive);
        }
    }

    [Fact]
    public void A_wireguard_peer_keeps_its_public_key_and_loses_its_preshared_key()
    {
        // Arrange
        var sample = SecretSamples.Named("nix wireguard presharedKey in a peer");

        // Act
        var redacted = Redactor.Default.Redact(sample.Text);

        // Assert
        redacted.ShouldContain("""publicKey = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";""");
        WithoutFingerprints(redacted).ShouldContain("""presharedKey = "[REDACTED]";""");
    }

    [Fact]
    public void A_url_query_loses_its_api_key_and_keeps_the_other_parameters()
    {
        var redacted = Redactor.Default.Redact("""curl "http://jellyfin.lan:8096/Items?api_key=0123456789abcdef0123456789abcdef&Recursive=true" """);

        WithoutFingerprints(redacted).ShouldBe("""curl "http://jellyfin.lan:8096/Items?api_key=[REDACTED]&Recursive=true" """);
    }

    [Fact]
    public void A_telegram_url_keeps_its_host_and_method()
    {
        var redacted = Redactor.Default.Redact("https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/sendMessage");

        WithoutFingerprints(redacted).ShouldBe("https://api.telegram.org/bot[REDACTED]/sendMessage");
    }

    [Fact]
    public void An_arr_config_keeps_its_other_elements()
    {
        var redacted = Redactor.Default.Redact(SecretSamples.Named("sonarr config.xml ApiKey").Text);

        WithoutFingerprints(redacted).ShouldBe("<Config>\n  <BindAddress>*</BindAddress>\n  <Port>8989</Port>\n  <ApiKey>[REDACTED]</ApiKey>\n  <AuthenticationMethod>Forms</AuthenticationMethod>\n</Config>\n");
    }

    [Fact]
    public void A_changed_api_key_in_a_diff_shows_as_a_removed_and_an_added_fingerprint()
    {
        var redacted = Redactor.Default.Redact(SecretSamples.Named("radarr ApiKey in a diff").Text);

        var lines = WithoutFingerprints(redacted).Split('\n');
        lines[2].ShouldBe("-  <ApiKey>[REDACTED]</ApiKey>");
        lines[3].ShouldBe("+  <ApiKey>[REDACTED]</ApiKey>");
        Marker().Matches(redacted).Select(m => m.Value).Distinct().Count().ShouldBe(2);
    }

    [Fact]
    public void A_yaml_block_scalar_loses_its_lines_and_keeps_the_next_key()
    {
        var redacted = Redactor.Default.Redact("smtp:\n  password: |\n    first line\n    second line\n  host: mail.lan\n");

        WithoutFingerprints(redacted).ShouldBe("smtp:\n  password: |\n    [REDACTED]\n  host: mail.lan\n");
    }

    [Fact]
    public void A_yaml_block_scalar_in_diff_lines_without_a_hunk_header_is_redacted()
    {
        // Arrange
        var text = " smtp:\n   password: |\n-    old-block-secret\n+    new-block-secret\n   host: mail.lan\n";

        // Act
        var redacted = Redactor.Default.Redact(text);

        // Assert
        WithoutFingerprints(redacted).ShouldBe(" smtp:\n   password: |\n-    [REDACTED]\n+    [REDACTED]\n   host: mail.lan\n");
    }

    [Fact]
    public void A_nix_multi_line_password_in_a_diff_keeps_its_removed_and_added_lines_apart()
    {
        // Arrange
        var text = "@@ -1,4 +1,4 @@\n   password = ''\n-    old secret\n+    new secret\n   '';\n   user = \"media\";\n";

        // Act
        var redacted = Redactor.Default.Redact(text);

        // Assert
        redacted.ShouldNotContain("old secret");
        redacted.ShouldNotContain("new secret");
        WithoutFingerprints(redacted).ShouldBe("@@ -1,4 +1,4 @@\n   password = ''\n-    [REDACTED]\n+    [REDACTED]\n   '';\n   user = \"media\";\n");
    }

    [Fact]
    public void A_private_key_added_in_a_diff_keeps_the_plus_on_every_line()
    {
        var redacted = Redactor.Default.Redact(SecretSamples.Named("OpenSSH private key added in a diff").Text);

        WithoutFingerprints(redacted).ShouldBe("+-----BEGIN OPENSSH PRIVATE KEY-----\n+[REDACTED]\n+-----END OPENSSH PRIVATE KEY-----\n");
    }

    [Fact]
    public void A_private_key_cut_after_its_begin_line_is_redacted_to_the_end_of_the_text()
    {
        var redacted = Redactor.Default.Redact(SecretSamples.Named("PEM cut after BEGIN (no END)").Text);

        WithoutFingerprints(redacted).ShouldBe("-----BEGIN RSA PRIVATE KEY-----\n[REDACTED]");
    }

    [Fact]
    public void The_same_private_key_gives_the_same_fingerprint_in_a_file_and_in_a_diff()
    {
        // Arrange
        var file = SecretSamples.Named("PEM RSA private key").Text;
        var diff = "@@ -0,0 +1,30 @@\n" + string.Concat(file.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => "+" + l + "\n"));

        // Act
        var inFile = Marker().Match(Redactor.Default.Redact(file)).Value;
        var inDiff = Marker().Match(Redactor.Default.Redact(diff)).Value;

        // Assert
        inFile.ShouldBe(inDiff);
    }

    [Fact]
    public void A_certificate_is_not_a_secret()
    {
        // Arrange
        var body = string.Join('\n', Enumerable.Range(0, 6).Select(i => new string((char)('A' + i), 64)));
        var text = $"-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----\n";

        // Act
        var redacted = Redactor.Default.Redact(text);

        // Assert
        redacted.ShouldBe(text);
    }

    [Fact]
    public void A_certificate_does_not_hide_a_private_key_that_follows_it()
    {
        var text = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUU\n-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC\n-----END PRIVATE KEY-----\n";

        var redacted = Redactor.Default.Redact(text);

        redacted.ShouldNotContain("MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC");
        redacted.ShouldContain("MIIBszCCAVmgAwIBAgIUU");
    }

    [Fact]
    public void A_key_body_inside_a_committed_patch_file_is_redacted_although_each_line_has_two_diff_prefixes_issue_15()
    {
        // A .patch file that holds a hunk of a key, added in a commit: "+" before the hunk's own " " or "-".
        var text = "+@@ -20,4 +20,4 @@\n+ ZijNcaYTi1JJ7bAI+pGAHvCGOWoi5H9TSts5eNekdb80A8ETGMEp0EGW0GvRos4i\n+-sEv0/Q1SXQby3asi0bOZurNNuemeCy==\n++2ueAMZekiRWKt98cLWUU8x3JyySDgO==\n+ -----END OPENSSH PRIVATE KEY-----\n";

        var redacted = Redactor.Default.Redact(text);

        redacted.ShouldNotContain("Q1SXQby3asi0bOZurNNuemeCy");
        redacted.ShouldNotContain("2ueAMZekiRWKt98cLWUU8x3JyySDgO");
        redacted.ShouldNotContain("ZijNcaYTi1JJ7bAI");
    }

    [Theory]
    [InlineData("machine github.com login mediabot password n3trc-secret", "machine github.com login mediabot password [REDACTED]")]
    [InlineData("db.lan:5432:immich:immich:pgp4ss-secret", "db.lan:5432:immich:immich:[REDACTED]")]
    [InlineData("curl -u admin:curl-secret http://127.0.0.1:9090/", "curl -u admin:[REDACTED] http://127.0.0.1:9090/")]
    [InlineData("-u admin:curl-secret http://127.0.0.1:9090/", "-u admin:[REDACTED] http://127.0.0.1:9090/")]
    [InlineData("curl \\\n-u admin:curl-secret http://127.0.0.1:9090/", "curl \\\n-u admin:[REDACTED] http://127.0.0.1:9090/")]
    [InlineData("password:  |\n  block-secret\nnext: 1\n", "password:  |\n  [REDACTED]\nnext: 1\n")]
    [InlineData("password:\t>\n  block-secret\nnext: 1\n", "password:\t>\n  [REDACTED]\nnext: 1\n")]
    [InlineData("mysql -uroot -pMySecret nextcloud", "mysql -uroot -p[REDACTED] nextcloud")]
    [InlineData("CREATE ROLE immich WITH LOGIN PASSWORD 'sql-secret';", "CREATE ROLE immich WITH LOGIN PASSWORD '[REDACTED]';")]
    [InlineData("ALTER ROLE immich WITH PASSWORD   'sql-secret';", "ALTER ROLE immich WITH PASSWORD   '[REDACTED]';")]
    [InlineData("create user x with password\t\t'sql-secret';", "create user x with password\t\t'[REDACTED]';")]
    [InlineData("ALTER USER bob PASSWORD \t 'sql-secret';", "ALTER USER bob PASSWORD \t '[REDACTED]';")]
    [InlineData("prometheus:$apr1$abcdefgh$0123456789abcdefghijkl", "prometheus:[REDACTED]")]
    [InlineData("mediabox-cache-1:ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+f4CBgoOEhYaHiImKi4yNjo+QkZKTlJWWl5iZmpucnZ6foKGiow==", "mediabox-cache-1:[REDACTED]")]
    [InlineData("IMMICH_DB_PASSWORD=env-secret # rotated 2026-11", "IMMICH_DB_PASSWORD=[REDACTED] # rotated 2026-11")]
    [InlineData("password = lib.mkForce \"forced-secret\";", "password = lib.mkForce \"[REDACTED]\";")]
    [InlineData("Add service credentials (AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY)", "Add service credentials (AWS_SECRET_ACCESS_KEY=[REDACTED])")]
    [InlineData("rotated: password=Tr0ub4dor&3-mediabox and token ghp_1a2B3c4D5e6F7g8H9i0JkLmNoPqRsTuVwXyZ12", "rotated: password=[REDACTED] and token [REDACTED]")]
    [InlineData("[smtp]\npassword = my pass phrase\n", "[smtp]\npassword = [REDACTED]\n")]
    [InlineData("  - SMTP_PASSWORD=with spaces too", "  - SMTP_PASSWORD=[REDACTED]")]
    public void Only_the_secret_part_of_a_line_is_replaced(string text, string expected)
    {
        WithoutFingerprints(Redactor.Default.Redact(text)).ShouldBe(expected);
    }

    private static string WithoutFingerprints(string redacted) => Marker().Replace(redacted, "[REDACTED]");

    [GeneratedRegex(@"\[REDACTED:[0-9a-f]{8}\]")]
    private static partial Regex Marker();
}
