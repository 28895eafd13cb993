using System.Diagnostics;

namespace Ledger.Hook;

/// <summary>
/// The import's progress on a terminal, as one line rewritten in place (ledger draws a bar; this
/// process keeps to plain text). Written to the console itself: the line is its own, and the
/// carriage return is what rewrites it (the inert writer would show it as an escape).
/// </summary>
internal sealed class TerminalProgress(TextWriter output) : IProgress<(int Done, int Total)>
{
    private readonly Lock _gate = new();
    private readonly Stopwatch _since = Stopwatch.StartNew();
    private TimeSpan _last = TimeSpan.MinValue;
    private int _width;

    public void Report((int Done, int Total) value)
    {
        lock (_gate)
        {
            // A few times a second is enough for the eye, and keeps a slow terminal out of the import's way.
            if (_since.Elapsed - _last < TimeSpan.FromMilliseconds(200) && value.Done < value.Total)
            {
                return;
            }

            _last = _since.Elapsed;
            var percent = value.Total == 0 ? 100 : value.Done * 100 / value.Total;
            var line = $"importing commits: {value.Done:N0} of {value.Total:N0} ({percent}%)";
            output.Write($"\r{line}");
            output.Flush();
            _width = Math.Max(_width, line.Length);
        }
    }

    /// <summary>Wipes the line, so that the summary takes its place.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            if (_width > 0)
            {
                output.Write($"\r{new string(' ', _width)}\r");
                output.Flush();
            }
        }
    }
}
