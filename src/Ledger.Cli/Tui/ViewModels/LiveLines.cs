namespace Ledger.Cli.Tui.ViewModels;

/// <summary>
/// The lines of a running operation as a screen shows them. The list is replaced, never changed in
/// place, so a draw on the UI thread never sees half a list while the operation writes.
/// </summary>
internal sealed class LiveLines
{
    public IReadOnlyList<StyledLine> Lines { get; private set; } = [];

    /// <summary>Starts again with <paramref name="lines"/>.</summary>
    public void Reset(params IEnumerable<StyledLine> lines) => Lines = [.. lines];

    public void Add(params IEnumerable<StyledLine> lines) => Lines = [.. Lines, .. lines];

    /// <summary>A writer for the operation: each completed line is added in the tone <paramref name="toneOf"/> gives it, then handed to <paramref name="onLine"/>.</summary>
    public LineWriter Writer(Func<string, Tone> toneOf, Action<string>? onLine) => new(line =>
    {
        Add(StyledLine.Of(line, toneOf(line)));
        onLine?.Invoke(line);
    });
}
