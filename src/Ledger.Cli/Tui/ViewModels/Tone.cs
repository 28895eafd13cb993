namespace Ledger.Cli.Tui.ViewModels;

/// <summary>How a line is coloured; the views map tones to the 16 terminal colours.</summary>
internal enum Tone
{
    Normal,
    Heading,
    Dim,
    Added,
    Removed,
    Hunk,
    Good,
    Bad,
    Warn,
    Deploy,
    Restore,
    Snapshot,
}
