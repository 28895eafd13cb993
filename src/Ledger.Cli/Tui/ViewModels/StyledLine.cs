using Ledger.Core.Text;

namespace Ledger.Cli.Tui.ViewModels;

/// <summary>One line of a screen, already made safe for the terminal; <see cref="Marks"/> are drawn highlighted.</summary>
internal sealed record StyledLine(string Text, Tone Tone = Tone.Normal, IReadOnlyList<MatchSpan>? Marks = null)
{
    /// <summary>Sanitises <paramref name="text"/> (one line) first: recorded text never reaches the terminal raw.</summary>
    public static StyledLine Of(string? text, Tone tone = Tone.Normal) => new(TerminalText.Line(text), tone);

    /// <summary>Every line of <paramref name="text"/>, sanitised, with a prefix.</summary>
    public static IEnumerable<StyledLine> Block(string? text, Tone tone = Tone.Normal, string indent = "") =>
        TerminalText.Lines(text).Select(l => new StyledLine(indent + l, tone));
}
