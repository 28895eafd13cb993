using Ledger.Core.Timeline;
using Ledger.Store;

namespace Ledger.App.Recording;

/// <summary>Prints what a command recorded: one line per event, or with --json the documented event shape (with its seq).</summary>
internal sealed class Recorded
{
    private readonly List<TimelineEntry> _entries = [];

    public IReadOnlyList<TimelineEntry> Entries => _entries;

    public async Task AddAsync(LedgerStore store, long seq, CancellationToken ct)
    {
        _entries.Add(await store.GetAsync(seq, ct) ?? throw new InvalidOperationException($"Event #{seq} was just recorded but cannot be read back."));
    }

    public async Task WriteJsonAsync(TextWriter output)
    {
        await output.WriteLineAsync("[");
        for (int i = 0; i < _entries.Count; i++)
        {
            await output.WriteLineAsync("  " + EntryJson.Serialize(_entries[i], indented: false) + (i + 1 < _entries.Count ? "," : ""));
        }

        await output.WriteLineAsync("]");
    }
}
