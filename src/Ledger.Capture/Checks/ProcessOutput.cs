using System.Text;

namespace Ledger.Capture.Checks;

/// <summary>Standard output and error of a process, interleaved in the order lines arrived.</summary>
internal sealed class ProcessOutput
{
    // A runaway process must not exhaust memory before its timeout: past this, the oldest
    // lines go (the end of build output is where the error is).
    private const int MaxChars = 4 * 1024 * 1024;

    private readonly StringBuilder _text = new();
    private readonly Lock _lock = new();

    public override string ToString()
    {
        lock (_lock)
        {
            return _text.ToString();
        }
    }

    /// <summary>The last <paramref name="count"/> non-blank lines, for a finding.</summary>
    public string LastLines(int count)
    {
        var lines = ToString().Split('\n').Where(l => !string.IsNullOrWhiteSpace(l)).TakeLast(count);
        var text = string.Join('\n', lines);
        return text.Length <= 2000 ? text : text[^2000..];
    }

    /// <summary>Takes one line of output (standard output and error alike, as they arrive).</summary>
    public void Append(string line)
    {
        lock (_lock)
        {
            _text.Append(line).Append('\n');
            if (_text.Length > 2 * MaxChars)
            {
                var cut = _text.Length - MaxChars;
                while (cut < _text.Length && _text[cut - 1] != '\n')
                {
                    cut++;
                }

                _text.Remove(0, cut);
            }
        }
    }
}
