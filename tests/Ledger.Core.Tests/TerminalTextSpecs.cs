using Ledger.Core.Text;

namespace Ledger.Core.Tests;

public class TerminalTextSpecs
{
    [Fact]
    public void An_escape_sequence_in_a_commit_message_is_shown_inert()
    {
        // Act
        var line = TerminalText.Line("Fix \u001b[2J\u001b]0;pwned\u0007 the title");

        // Assert
        line.ShouldNotContain('\u001b');
        line.ShouldNotContain('\u0007');
        line.ShouldBe($"Fix {TerminalText.Replacement}[2J{TerminalText.Replacement}]0;pwned{TerminalText.Replacement} the title");
    }

    [Fact]
    public void C1_controls_DEL_and_bidi_overrides_are_replaced_too()
    {
        // Act
        var line = TerminalText.Line("a\u009b31mb\u007fc\u202Ed\u2066e");

        // Assert
        line.ShouldBe($"a{TerminalText.Replacement}31mb{TerminalText.Replacement}c{TerminalText.Replacement}d{TerminalText.Replacement}e");
    }

    [Fact]
    public void A_single_line_turns_breaks_and_tabs_into_spaces()
    {
        TerminalText.Line("one\ntwo\tthree\r\n").ShouldBe("one two three  ");
    }

    [Fact]
    public void Plain_text_comes_back_unchanged()
    {
        const string text = "services.jellyfin.enable = true; # ünïcödé";

        TerminalText.Line(text).ShouldBeSameAs(text);
    }

    [Fact]
    public void Lines_split_on_every_kind_of_break_and_expand_tabs()
    {
        // Act
        var lines = TerminalText.Lines("a\r\nb\rc\n\td\u001b");

        // Assert
        lines.ShouldBe(["a", "b", "c", "    d" + TerminalText.Replacement]);
    }

    [Fact]
    public void Nothing_gives_nothing()
    {
        TerminalText.Line(null).ShouldBe("");
        TerminalText.Lines(null).ShouldBeEmpty();
    }
}
