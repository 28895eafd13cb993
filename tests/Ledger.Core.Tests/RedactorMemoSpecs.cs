using Ledger.Core.Text;

namespace Ledger.Core.Tests;

/// <summary>
/// A thread remembers what its last redactor made of short texts (issue 19: an import serialises
/// the same host, repository, author and paths with every event). What it remembers belongs to
/// one redactor: another, with other patterns, must redact the same text itself.
/// </summary>
public sealed class RedactorMemoSpecs
{
    [Fact]
    public void A_short_text_is_redacted_by_each_redactor_with_its_own_patterns()
    {
        const string Text = "ticket INC-20931 closed";
        var plain = new Redactor();
        var withTickets = new Redactor(["INC-[0-9]+"]);

        // The same text, through each in turn, twice: what one remembered must not answer for the other.
        var first = plain.Redact(Text);
        var second = withTickets.Redact(Text);
        var third = plain.Redact(Text);
        var fourth = withTickets.Redact(Text);

        first.ShouldBe(Text);
        second.ShouldNotContain("INC-20931");
        third.ShouldBe(Text);
        fourth.ShouldBe(second);
    }

    [Fact]
    public void A_remembered_text_gives_what_redacting_it_gives()
    {
        // Short texts with and without secrets, each asked for several times among the others.
        string[] texts =
        [
            "password = \"memo-s3cret-1\"",
            "hosts/media/default.nix",
            "curl -u admin:memo-s3cret-2 https://example.org",
            "Jane Admin <jane@example.org>",
            "token: ghp_abcdefghijklmnopqrstuvwxyz0123456789",
        ];
        var redactor = new Redactor();
        var once = texts.Select(redactor.RedactEverywhere).ToArray();

        for (int round = 0; round < 3; round++)
        {
            texts.Select(redactor.Redact).ShouldBe(once, $"round {round}");
        }

        string.Concat(once).ShouldNotContain("memo-s3cret");
    }

    [Fact]
    public void A_long_text_one_redactor_gave_back_is_redacted_again_by_another_with_its_own_patterns()
    {
        // Longer than the memo takes, without a secret the built-in rules know: given back as it is.
        var text = string.Concat(Enumerable.Repeat("+ticket INC-20931 is closed\n", 20));
        var plain = new Redactor();
        var withTickets = new Redactor(["INC-[0-9]+"]);

        var first = plain.Redact(text);
        var second = withTickets.Redact(first);
        var third = plain.Redact(second);

        first.ShouldBe(text);
        second.ShouldNotContain("INC-20931", Case.Sensitive, "what the first redactor gave back is no redaction for the second");
        third.ShouldBe(second);
    }

    [Fact]
    public void A_long_redacted_text_given_again_comes_back_as_it_was()
    {
        var text = "+services.grafana.settings.security.admin_password = \"long-s3cret\";\n" + string.Concat(Enumerable.Repeat("+  # a comment\n", 30));
        var redactor = new Redactor();

        var once = redactor.Redact(text);
        var twice = redactor.Redact(once);

        once.ShouldNotContain("long-s3cret");
        twice.ShouldBeSameAs(once);
        twice.ShouldBe(redactor.RedactEverywhere(once));
    }
}
