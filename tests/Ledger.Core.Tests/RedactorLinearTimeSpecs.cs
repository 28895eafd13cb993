using System.Text;
using Ledger.Core.Text;

namespace Ledger.Core.Tests;

/// <summary>
/// Issue 15: hostile input cannot stall the redactor. The built-in rules run on the linear
/// engine; an admin rule that needs backtracking gets a time limit, and running out of it
/// withholds the text instead of throwing or passing it on unredacted.
/// </summary>
public class RedactorLinearTimeSpecs
{
    private const int Generous = 20_000;

    [Fact(Timeout = Generous)]
    public async Task A_54000_character_base64_line_after_a_token_comment_is_redacted_quickly_issue_15()
    {
        // Arrange
        var text = "# token " + UrlSafeBase64(54_000) + "\npassword = \"hunter2-very-secret\";\n";

        // Act
        var redacted = await Task.Run(() => Redactor.Default.Redact(text));

        // Assert
        redacted.ShouldNotContain("hunter2-very-secret");
    }

    [Theory(Timeout = Generous)]
    [InlineData("AGE-PLUGIN-")]
    [InlineData("eyJ-")]
    [InlineData("eyJa.eyJ-")]
    public async Task A_token_word_repeated_inside_its_own_run_is_scanned_in_linear_time_issue_19(string word)
    {
        // Arrange: a token shape whose first run can hold the family's word after a dash, and no
        // token anywhere (8 MB): trying every place again would read the rest of the run each time.
        var text = string.Concat(Enumerable.Repeat(word, 8_000_000 / word.Length)) + " ghp_1a2B3c4D5e6F7g8H9i0JkLmNoPqRsTuVwXyZ12";

        // Act
        var redacted = await Task.Run(() => Redactor.TokenShapesWhereTheirWordsAre(text));

        // Assert
        redacted.ShouldNotContain("ghp_1a2B3c4D5e6F7g8H9i0JkLmNoPqRsTuVwXyZ12");
        redacted.ShouldStartWith(word + word);
    }

    [Fact(Timeout = Generous)]
    public async Task A_long_run_of_dots_and_letters_is_redacted_quickly_issue_15()
    {
        // Arrange
        var text = string.Concat(Enumerable.Repeat("a.", 5000)) + " token=ghp_1a2B3c4D5e6F7g8H9i0JkLmNoPqRsTuVwXyZ12 " + string.Concat(Enumerable.Repeat("a.", 5000)) + "://" + string.Concat(Enumerable.Repeat("a:", 5000));

        // Act
        var redacted = await Task.Run(() => Redactor.Default.Redact(text));

        // Assert
        redacted.ShouldNotContain("ghp_1a2B3c4D5e6F7g8H9i0JkLmNoPqRsTuVwXyZ12");
    }

    [Fact(Timeout = Generous)]
    public async Task A_megabyte_of_random_text_with_secrets_in_it_is_redacted_quickly_issue_15()
    {
        // Arrange
        var random = new Random(15);
        const string alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/=-_.:;,'\"{}[]()<>!?$@#%&*| \t\n";
        var sb = new StringBuilder(1 << 20);
        var secrets = SecretSamples.All.Take(20).ToList();
        while (sb.Length < 1 << 20)
        {
            for (var i = 0; i < 4096; i++)
            {
                sb.Append(alphabet[random.Next(alphabet.Length)]);
            }

            var sample = secrets[random.Next(secrets.Count)];
            sb.Append('\n').Append(sample.Text).Append('\n');
        }

        var text = sb.ToString();

        // Act
        var redacted = await Task.Run(() => Redactor.Default.Redact(text));

        // Assert
        foreach (var secret in secrets.SelectMany(s => s.Secrets))
        {
            redacted.ShouldNotContain(secret, Case.Sensitive);
        }
    }

    [Theory(Timeout = Generous)]
    [InlineData("password=")]
    [InlineData("-----BEGIN RSA PRIVATE KEY-----\n")]
    [InlineData("password: |\n")]
    [InlineData("password = ''\n")]
    [InlineData("https://")]
    [InlineData("Authorization: Bearer ")]
    [InlineData("<ApiKey>")]
    [InlineData("mysql ")]
    public async Task Pathological_repetitions_after_a_rule_start_finish_quickly(string start)
    {
        // Arrange: what each rule starts with, followed by what its pattern would loop on.
        var text = start + string.Concat(Enumerable.Repeat("a:a@a=a ", 20_000)) + string.Concat(Enumerable.Repeat("-", 50_000)) + new string('A', 64) + "\n" + new string('A', 64) + "\n";

        // Act
        var redacted = await Task.Run(() => Redactor.Default.Redact(text));

        // Assert
        redacted.ShouldNotBeNull();
    }

    [Theory(Timeout = Generous)]
    [InlineData("password = x ")]
    [InlineData("<password a=b ")]
    [InlineData("--password-")]
    [InlineData("-")]
    [InlineData("mysql ")]
    [InlineData("password x ")]
    [InlineData("-u 'x ")]
    [InlineData("a://b:")]
    [InlineData("-----BEGIN ")]
    [InlineData("?api_key=x&")]
    [InlineData("\"password\": \"x\", ")]
    [InlineData("mysql -px; ")]
    [InlineData("login u password p ")]
    [InlineData("--password=x ")]
    [InlineData("https://u:p@h ")]
    [InlineData("Authorization: Bearer x ")]
    [InlineData("<password>x</password>")]
    [InlineData("ghp_0123456789abcdefghij0123456789abcdef ")]
    [InlineData("pass:x ")] // the scanners of Redactor.Hits.cs, from here on
    [InlineData("--a-b-")]
    [InlineData("a.token.")]
    [InlineData("Proxy-Authorization \"Basic ")]
    [InlineData("password = mkForce 10 ")]
    [InlineData("password=\"x\\")]
    public async Task A_long_line_of_the_places_a_rule_check_looks_at_is_checked_in_linear_time(string place)
    {
        // Arrange: issue 19's checks that decide whether a rule is built look at each of these
        // places; one that searched the rest of the line from each would take minutes here.
        var text = "  " + string.Concat(Enumerable.Repeat(place, 2_000_000 / place.Length)) + "\n";

        // Act
        var redacted = await Task.Run(() => Redactor.Default.Redact(text));

        // Assert
        redacted.ShouldNotBeNull();
    }

    [Theory(Timeout = Generous)]
    [InlineData("password=x;")]
    [InlineData("token: x,")]
    [InlineData("password = ''x''; ")]
    public async Task A_long_line_of_assignments_is_redacted_in_linear_time(string assignment)
    {
        // Arrange: 6 MB of assignments on one line (a minified file). Each value's check of what
        // stands before its key on the line looked for the line's start from each key (13-17 s
        // for 2 MB, minutes for this), and so did each Nix multi-line string's.
        // Act
        var (_, redacted) = await RedactOneLineOfAsync(assignment);

        // Assert: the values redacted.
        redacted.ShouldContain("[REDACTED:");
        redacted.ShouldNotContain("=x;");
        redacted.ShouldNotContain("''x''");
    }

    [Theory(Timeout = Generous)]
    [InlineData("-----BEGIN X")]
    [InlineData("-----BEGIN X-----a--")]
    [InlineData("-----BEGIN X-----a-----END ")]
    public async Task A_long_line_of_armoured_blocks_is_redacted_in_linear_time(string block)
    {
        // Arrange: 6 MB of blocks on one line. Each block's fingerprint leaves out what stands
        // before BEGIN on its line; finding that line's start from each block back to the start of
        // the line took 7 s for 2 MB, and a minute for this.
        // Act
        var (text, redacted) = await RedactOneLineOfAsync(block);

        // Assert: every block's body redacted.
        redacted.ShouldContain("[REDACTED:");
        redacted.Length.ShouldBeLessThan(text.Length * 2);
    }

    /// <summary>6 MB of <paramref name="piece"/> repeated on one line, and what the redactor makes of it.</summary>
    private static async Task<(string Text, string Redacted)> RedactOneLineOfAsync(string piece)
    {
        var text = string.Concat(Enumerable.Repeat(piece, 6_000_000 / piece.Length)) + "\n";
        return (text, await Task.Run(() => Redactor.Default.Redact(text)));
    }

    [Fact]
    public void An_admin_pattern_runs_on_the_linear_engine_when_it_can()
    {
        var redactor = new Redactor([@"MEDIABOX-INTERNAL-[0-9]+", @"(?<=ref=)[A-Z]{6}"]);

        redactor.AdminPatternsRunInLinearTime.ShouldBe([true, false]);
    }

    [Fact(Timeout = Generous)]
    public async Task An_admin_pattern_that_times_out_withholds_the_whole_text_issue_15()
    {
        // Arrange: a lookahead forces the backtracking engine; nested loops make it exponential.
        var redactor = new Redactor([@"(x+x+)+(?=y)"]);
        var text = "password = \"hunter2\";\n" + new string('x', 5000);

        // Act
        var redacted = await Task.Run(() => redactor.Redact(text));

        // Assert
        redacted.ShouldBe($"[REDACTED: {text.Length} chars withheld, a redaction rule timed out]");
        redactor.Redact(redacted).ShouldBe(redacted);
        Redactor.Default.Redact(redacted).ShouldBe(redacted);
    }

    [Fact]
    public void An_invalid_admin_pattern_is_refused_when_configured()
    {
        Should.Throw<ArgumentException>(() => new Redactor(["(unclosed"]));
    }

    [Fact]
    public void An_admin_pattern_with_a_lookbehind_still_redacts()
    {
        var redactor = new Redactor([@"(?<=ref=)[A-Z]{6}"]);

        var redacted = redactor.Redact("ticket ref=ABCDEF done");

        redacted.ShouldNotContain("ABCDEF");
        redacted.ShouldStartWith("ticket ref=[REDACTED:");
    }

    private static string UrlSafeBase64(int length)
    {
        var random = new Random(54);
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        return string.Create(length, random, (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = alphabet[r.Next(alphabet.Length)];
            }
        });
    }
}
