namespace Ledger.Core.Text;

// What a redactor remembers on a thread, so that the texts an import repeats are not scanned
// again: short texts with what they redacted to, and the long texts it has just given back.
public sealed partial class Redactor
{
    /// <summary>
    /// <see cref="RedactText(string, out bool, out bool)"/> for a short text, remembered. Short
    /// texts repeat: an import serialises the same host, repository, author and paths with every
    /// event, and each costs every prefilter's scan. Redact is a function of the text and this
    /// redactor, so what it gave is given again.
    /// </summary>
    private string RedactShort(string text)
    {
        var memo = _memo ??= new Memo();
        if (!ReferenceEquals(memo.Owner, this))
        {
            memo.Owner = this;
            memo.Results.Clear();
        }

        if (memo.Results.TryGetValue(text, out var known))
        {
            return known;
        }

        var result = RedactText(text, out var withheld, out _);
        if (!withheld)
        {
            if (memo.Results.Count >= MemoCapacity)
            {
                memo.Results.Clear();
            }

            memo.Results[text] = result;
        }

        return result;
    }

    /// <summary>Texts up to this long are remembered with what they redacted to (<see cref="Memo"/>).</summary>
    private const int MemoMaxLength = 256;

    /// <summary>How many short texts a thread remembers before it starts over.</summary>
    private const int MemoCapacity = 4096;

    /// <summary>A thread's recent short texts and what one redactor made of them.</summary>
    private sealed class Memo
    {
        public Redactor? Owner;
        public readonly Dictionary<string, string> Results = new(StringComparer.Ordinal);
    }

    [ThreadStatic]
    private static Memo? _memo;

    /// <summary>
    /// A long text, unless it is one this redactor has just given back on this thread: redacting
    /// that again gives it back unchanged (<see cref="Redact"/> is idempotent), so it is not
    /// scanned again. An event's serialisation redacts every string it writes (<c>StoredText</c>),
    /// and an import serialises each commit's event right after redacting its patches, on the
    /// same thread: each patch was scanned twice.
    /// </summary>
    private string RedactLong(string text)
    {
        var given = _given ??= new Given();
        if (given.Holds(this, text))
        {
            return text;
        }

        var result = RedactText(text, out var withheld, out var settled);
        if (!withheld && settled)
        {
            given.Add(this, result);
        }

        return result;
    }

    /// <summary>The last long texts one redactor gave back on a thread, known by reference (not compared): each is its own redaction.</summary>
    private sealed class Given
    {
        private readonly string?[] _texts = new string?[32];
        private Redactor? _owner;
        private int _next;

        public bool Holds(Redactor owner, string text)
        {
            if (!ReferenceEquals(_owner, owner))
            {
                return false;
            }

            foreach (var given in _texts)
            {
                if (ReferenceEquals(given, text))
                {
                    return true;
                }
            }

            return false;
        }

        public void Add(Redactor owner, string text)
        {
            if (!ReferenceEquals(_owner, owner))
            {
                _owner = owner;
                Array.Clear(_texts);
            }

            _texts[_next] = text;
            _next = (_next + 1) % _texts.Length;
        }
    }

    [ThreadStatic]
    private static Given? _given;
}
