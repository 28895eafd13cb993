using Ledger.Core.Text;

namespace Ledger.Core.Tests;

/// <summary>
/// Issue 19, thirteenth session: armoured blocks (private keys, age and PGP files) are found by a
/// hand-written scanner (<c>Redactor.NextArmouredBlock</c>) instead of the NonBacktracking regex,
/// whose captures cost tens of microseconds a block on histories full of sops files. The scanner
/// must find exactly what the regex finds: every block, at the same place, with the same BEGIN
/// line, kind, body and END line, on random texts made of the pattern's own pieces.
/// </summary>
public sealed class RedactorArmourSpecs
{
    private static readonly string[] Fragments =
    [
        "-----BEGIN ", "-----END ", "-----", "----", "---", "--", "-", "------", "-------BEGIN ",
        "-----BEGIN AGE ENCRYPTED FILE-----", "-----END AGE ENCRYPTED FILE-----", "-----BEGIN X-----", "-----END X-----", "-----END -----", "-----BEGIN a-----",
        "AGE ENCRYPTED FILE", "OPENSSH PRIVATE KEY", "PGP MESSAGE", "CERTIFICATE", "RSA", " ", "X9", "x", "a-b", "é",
        "YWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOSBYdGRI", "+/=", "\n", "\n+ ", "\n- ", "\n  ", "\r\n", "\t", "[REDACTED:0123abcd]", "\"", "\\n",
    ];

    [Fact]
    public void The_scanner_finds_every_block_the_pattern_finds_and_nothing_else()
    {
        var pattern = Redactor.ArmouredBlockPattern;
        var random = new Random(2026_12_07_13);
        var blocks = 0;
        var withEnd = 0;
        for (int round = 0; round < 60_000; round++)
        {
            var text = string.Concat(Enumerable.Range(0, random.Next(1, 16)).Select(_ => Fragments[random.Next(Fragments.Length)]));
            var expected = new List<Redactor.ArmouredBlock>();
            for (var m = pattern.Match(text); m.Success; m = m.NextMatch())
            {
                expected.Add(Redactor.FromMatch(m));
            }

            var found = new List<Redactor.ArmouredBlock>();
            for (var b = Redactor.NextArmouredBlock(text, 0); b is { } block; b = Redactor.NextArmouredBlock(text, block.Index + block.Length))
            {
                found.Add(block);
            }

            found.ShouldBe(expected, text.ReplaceLineEndings("⏎"));
            blocks += found.Count;
            withEnd += found.Count(b => b.End is not null);
        }

        // The texts were not all without blocks, nor all without END lines.
        blocks.ShouldBeGreaterThan(10_000);
        withEnd.ShouldBeGreaterThan(1_000);
    }

    [Theory]
    [InlineData("-----BEGIN AGE ENCRYPTED FILE-----\nYWdl\n-----END AGE ENCRYPTED FILE-----", "AGE ENCRYPTED FILE", "\nYWdl\n", "-----END AGE ENCRYPTED FILE-----")]
    [InlineData("-----BEGIN X-----a--b----c\n", "X", "a--b----c\n", null)]
    [InlineData("-----BEGIN X-----ab---", "X", "ab", null)]
    [InlineData("-----BEGIN X-----ab------END X-----", "X", "ab", null)]
    [InlineData("-----BEGIN X-------ab", "X", "--ab", null)]
    public void A_block_ends_where_the_pattern_ends_it(string text, string kind, string body, string? end)
    {
        // Act
        var block = Redactor.NextArmouredBlock(text, 0);

        // Assert
        block.ShouldNotBeNull();
        (block.Value.Kind, block.Value.Body, block.Value.End).ShouldBe((kind, body, end));
        block.Value.ShouldBe(Redactor.FromMatch(Redactor.ArmouredBlockPattern.Match(text)));
    }

    [Fact]
    public void Blocks_are_redacted_as_before_public_ones_kept()
    {
        // Arrange: a sops file's age block in a diff, then a certificate.
        var text = "+ data: |\n+            -----BEGIN AGE ENCRYPTED FILE-----\n+            YWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOSBYdGRI\n+            -----END AGE ENCRYPTED FILE-----\n"
            + "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

        // Act
        var redacted = Redactor.Default.Redact(text);

        // Assert
        redacted.ShouldNotContain("YWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOSBYdGRI");
        redacted.ShouldContain("+            -----BEGIN AGE ENCRYPTED FILE-----\n+            [REDACTED:");
        redacted.ShouldContain("+            -----END AGE ENCRYPTED FILE-----\n");
        redacted.ShouldEndWith("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    }
}
