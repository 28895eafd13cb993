using Ledger.Cli.Tui.ViewModels;
using Terminal.Gui.Drawing;
using Attribute = Terminal.Gui.Drawing.Attribute;

namespace Ledger.Cli.Tui.Views;

/// <summary>The tones in the 16 basic colours, so the TUI reads the same on any terminal.</summary>
internal static class Palette
{
    public static Attribute Bar { get; } = new(ColorName16.Black, ColorName16.Cyan);

    public static Attribute Selected { get; } = new(ColorName16.Black, ColorName16.Gray);

    public static Attribute Prompt { get; } = new(ColorName16.BrightYellow, ColorName16.Black);

    /// <summary>Where a row shows the filter's text: on yellow, so it reads on any tone and on the cursor row.</summary>
    public static Attribute Match { get; } = new(ColorName16.Black, ColorName16.BrightYellow);

    public static Attribute Of(Tone tone) => new(
        tone switch
        {
            Tone.Heading => ColorName16.White,
            Tone.Dim => ColorName16.DarkGray,
            Tone.Added => ColorName16.Green,
            Tone.Removed => ColorName16.Red,
            Tone.Hunk => ColorName16.Cyan,
            Tone.Good => ColorName16.BrightGreen,
            Tone.Bad => ColorName16.BrightRed,
            Tone.Warn => ColorName16.Yellow,
            Tone.Deploy => ColorName16.BrightBlue,
            Tone.Restore => ColorName16.BrightMagenta,
            Tone.Snapshot => ColorName16.DarkGray,
            _ => ColorName16.Gray,
        },
        ColorName16.Black);
}
