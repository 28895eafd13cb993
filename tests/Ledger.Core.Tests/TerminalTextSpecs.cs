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

    [Fact]
    public void Escape_shows_an_escape_sequence_bell_and_hyperlink_as_backslash_escapes_issue_15()
    {
        // Act
        var text = TerminalText.Escape("Evil\u001b]8;;http://x\u001b\\click\u001b]8;;\u001b\\ \u001b[2J\u0007\b");

        // Assert
        text.ShouldBe("Evil\\e]8;;http://x\\e\\click\\e]8;;\\e\\ \\e[2J\\a\\b");
    }

    [Fact]
    public void Escape_shows_C1_controls_DEL_and_every_bidi_control_as_unicode_escapes_issue_15()
    {
        // Act
        var text = TerminalText.Escape("a\u009b31m\u0085\u007f \u202A\u202E \u2066\u2069 \u200E\u200F\u061C");

        // Assert
        text.ShouldBe("a\\u009B31m\\u0085\\u007F \\u202A\\u202E \\u2066\\u2069 \\u200E\\u200F\\u061C");
    }

    [Fact]
    public void Escape_keeps_line_breaks_and_tabs_but_not_a_carriage_return_inside_a_line_issue_15()
    {
        // Act
        var text = TerminalText.Escape("diff\n+\tnew\r\nfake\rover");

        // Assert
        text.ShouldBe("diff\n+\tnew\r\nfake\\rover");
    }

    [Fact]
    public void EscapeLine_escapes_line_breaks_and_tabs_too_so_a_log_value_stays_on_its_line()
    {
        TerminalText.EscapeLine("one\ntwo\r\n\tthree").ShouldBe("one\\ntwo\\r\\n\\tthree");
    }

    [Fact]
    public void Escape_gives_plain_text_back_as_it_is()
    {
        const string text = "services.jellyfin.enable = true; # ünïcödé \\e";

        TerminalText.Escape(text).ShouldBeSameAs(text);
        TerminalText.Escape(null).ShouldBe("");
    }
}
