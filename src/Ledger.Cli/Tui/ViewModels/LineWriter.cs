using System.Text;

namespace Ledger.Cli.Tui.ViewModels;

/// <summary>A writer that hands each completed line to a callback: how engine progress reaches a screen.</summary>
internal sealed class LineWriter : TextWriter
{
    private readonly Action<string> _onLine;
    private readonly StringBuilder _pending = new();
    private readonly Lock _gate = new();

    public LineWriter(Action<string> onLine)
    {
        _onLine = onLine;
    }

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        string? line = null;
        lock (_gate)
        {
            if (value == '\n')
            {
                line = _pending.ToString().TrimEnd('\r');
                _pending.Clear();
            }
            else
            {
                _pending.Append(value);
            }
        }

        if (line is not null)
        {
            _onLine(line);
        }
    }

    public override void Write(string? value)
    {
        foreach (var c in value ?? "")
        {
            Write(c);
        }
    }

    public override void Flush()
    {
        string? line = null;
        lock (_gate)
        {
            if (_pending.Length > 0)
            {
                line = _pending.ToString();
                _pending.Clear();
            }
        }

        if (line is not null)
        {
            _onLine(line);
        }
    }
}
