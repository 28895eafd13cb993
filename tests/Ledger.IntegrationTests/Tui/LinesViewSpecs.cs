using Ledger.Cli.Tui.ViewModels;
using Ledger.Cli.Tui.Views;

namespace Ledger.IntegrationTests.Tui;

/// <summary>How long lines fit the screen: rows end in an ellipsis at a word boundary, text is wrapped.</summary>
public sealed class LinesViewSpecs
{
    [Fact]
    public void A_long_row_ends_after_its_last_whole_word_with_an_ellipsis()
    {
        var fitted = LinesView.Ellipsis("1234 2026-12-04 13:57 config-edit a1b2c3d4 Enable hardware transcoding for jellyfin", 60);

        fitted.Length.ShouldBe(60);
        fitted.TrimEnd().ShouldBe("1234 2026-12-04 13:57 config-edit a1b2c3d4 Enable hardware…");
    }

    [Fact]
    public void One_long_word_is_cut_where_the_room_ends()
    {
        LinesView.Ellipsis("sha 0123456789abcdef0123456789abcdef01234567", 20).ShouldBe("sha 0123456789abcde…");
    }

    [Fact]
    public void Text_is_wrapped_at_spaces_and_continues_under_its_indent()
    {
        // Arrange
        StyledLine[] lines = [new("short"), new("  Restore r1 failed at switch: nixos-rebuild switch exited 1: error: attribute 'jellyfin' missing", Tone.Bad)];

        // Act
        var wrapped = LinesView.Wrap(lines, 40);

        // Assert
        wrapped.ShouldAllBe(l => l.Text.Length <= 40);
        wrapped[0].Text.ShouldBe("short");
        wrapped.Skip(1).ShouldAllBe(l => l.Tone == Tone.Bad);
        wrapped[2].Text.ShouldStartWith("    ");
        string.Join(" ", wrapped.Skip(1).Select(l => l.Text.Trim())).ShouldBe(lines[1].Text.Trim());
    }
}
