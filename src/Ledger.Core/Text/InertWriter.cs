using System.Text;

namespace Ledger.Core.Text;

/// <summary>
/// The writer every command prints with (standard output and standard error, help and errors
/// included): recorded text is written by others, so whatever passes through comes out inert.
/// Control characters become visible escapes (<see cref="TerminalText.Escape(string?)"/>); line
/// breaks and tabs stay, so a diff or a table keeps its layout. JSON passes unchanged: its encoder
/// already escapes every control character, and the <c>\uXXXX</c> escapes used here for the rest
/// are JSON's own.
/// </summary>
public sealed class InertWriter : TextWriter
{
    private readonly Lock _lock = new();

    // A CR at the end of one write may be the first half of a CR LF split over two writes.
    private bool _pendingCr;

    private InertWriter(TextWriter inner)
        : base(inner.FormatProvider)
    {
        Inner = inner;
        NewLine = inner.NewLine;
    }

    /// <summary>The writer underneath (to tell whether it is the console).</summary>
    public TextWriter Inner { get; }

    public override Encoding Encoding => Inner.Encoding;

    /// <summary>Wraps <paramref name="writer"/> once: an <see cref="InertWriter"/> is returned as it is.</summary>
    public static TextWriter Wrap(TextWriter writer) => writer is InertWriter ? writer : new InertWriter(writer);

    /// <summary>The writer under any <see cref="InertWriter"/>.</summary>
    public static TextWriter Unwrap(TextWriter writer) => writer is InertWriter inert ? inert.Inner : writer;

    public override void Write(char value)
    {
        lock (_lock)
        {
            Inner.Write(Inert([value]));
        }
    }

    public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));

    public override void Write(ReadOnlySpan<char> buffer)
    {
        lock (_lock)
        {
            Inner.Write(Inert(buffer));
        }
    }

    public override void Write(string? value) => Write(value.AsSpan());

    public override Task WriteAsync(char value) => WriteAsync(new ReadOnlyMemory<char>([value]));

    public override Task WriteAsync(string? value) => WriteAsync(value.AsMemory());

    public override Task WriteAsync(char[] buffer, int index, int count) => WriteAsync(buffer.AsMemory(index, count));

    public override Task WriteAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default) =>
        Inner.WriteAsync(InertLocked(buffer, newLine: false), cancellationToken);

    public override Task WriteLineAsync() => WriteAsync(CoreNewLine.AsMemory());

    public override Task WriteLineAsync(char value) => WriteLineAsync(new ReadOnlyMemory<char>([value]));

    public override Task WriteLineAsync(string? value) => WriteLineAsync(value.AsMemory());

    public override Task WriteLineAsync(char[] buffer, int index, int count) => WriteLineAsync(buffer.AsMemory(index, count));

    public override Task WriteLineAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default) =>
        Inner.WriteAsync(InertLocked(buffer, newLine: true), cancellationToken);

    public override void Flush()
    {
        lock (_lock)
        {
            FlushPendingCr();
            Inner.Flush();
        }
    }

    public override Task FlushAsync()
    {
        lock (_lock)
        {
            FlushPendingCr();
        }

        return Inner.FlushAsync();
    }

    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            FlushPendingCr();
        }

        return Inner.FlushAsync(cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        // The inner writer (the console, a caller's buffer) belongs to whoever created it.
        if (disposing)
        {
            Flush();
        }

        base.Dispose(disposing);
    }

    private void FlushPendingCr()
    {
        if (_pendingCr)
        {
            _pendingCr = false;
            Inner.Write(TerminalText.Escape('\r'));
        }
    }

    // The text is made inert under the lock (a CR may wait for the next write); the write itself is not held.
    private ReadOnlyMemory<char> InertLocked(ReadOnlyMemory<char> buffer, bool newLine)
    {
        lock (_lock)
        {
            return (newLine ? Inert(buffer.Span) + Inert(CoreNewLine) : Inert(buffer.Span)).AsMemory();
        }
    }

    /// <summary>The inert form of one chunk; called under the lock, since it reads and sets the pending CR.</summary>
    private string Inert(ReadOnlySpan<char> chunk)
    {
        if (chunk.IsEmpty)
        {
            return "";
        }

        var text = chunk.ToString();
        if (_pendingCr)
        {
            _pendingCr = false;
            text = "\r" + text;
        }

        if (text[^1] == '\r')
        {
            _pendingCr = true;
            text = text[..^1];
        }

        return TerminalText.Escape(text);
    }
}
