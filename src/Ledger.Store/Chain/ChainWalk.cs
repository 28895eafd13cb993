using Ledger.Core.Integrity;

namespace Ledger.Store.Chain;

/// <summary>
/// Recomputes the chain while events and chain rows go past in sequence order, and says what is
/// wrong where. After a mismatch it goes on from the stored hash, and the next row tells which
/// side changed: if the stored chain continues from the stored hash the event changed; if it
/// continues from the recomputed one the chain row was altered.
/// </summary>
internal sealed class ChainWalk
{
    private const int MaxCollected = ChainReport.MaxProblems * 10;

    private readonly List<ChainProblem> _problems = [];
    private byte[] _previous = ChainHash.Genesis.ToArray();
    private long _lastSeen;
    private Pending? _pending;

    /// <summary>An event and its chain row.</summary>
    public void Chained(ChainEntry entry, ChainRow row)
    {
        var fromStored = ChainHash.Next(_previous, entry);
        if (_pending is { } p)
        {
            _pending = null;
            if (fromStored.AsSpan().SequenceEqual(row.Hash))
            {
                Add(p.GapFrom is null
                    ? new ChainProblem(p.Seq, ChainProblemKind.EventChanged, $"event #{p.Seq} changed after it was sealed: its data, type, stream, version, timestamp or host no longer match the chain (the chain rows around it are intact).")
                    : Unexplained(p));
                Accept(entry.Seq, row.Hash);
                return;
            }

            if (ChainHash.Next(p.Computed, entry).AsSpan().SequenceEqual(row.Hash))
            {
                Add(new ChainProblem(p.Seq, ChainProblemKind.ChainRowChanged, $"the chain row of #{p.Seq} was altered: its hash is not the one computed from the events (event #{p.Seq} itself is as it was sealed)."));
                Accept(entry.Seq, row.Hash);
                return;
            }

            Add(Unexplained(p));
        }

        if (fromStored.AsSpan().SequenceEqual(row.Hash))
        {
            Accept(entry.Seq, row.Hash);
            return;
        }

        _pending = new Pending(entry.Seq, fromStored, _lastSeen + 1 < entry.Seq ? _lastSeen + 1 : null);
        Accept(entry.Seq, row.Hash);
    }

    /// <summary>A chain row whose event is gone.</summary>
    public void Missing(ChainRow row)
    {
        ResolvePending();
        Add(new ChainProblem(row.Seq, ChainProblemKind.EventMissing, $"event #{row.Seq} was deleted after it was sealed: its chain row is there, the event is not."));
        Accept(row.Seq, row.Hash);
    }

    /// <summary>An event below the chain's head that has no chain row.</summary>
    public void NotInChain(ChainEntry entry)
    {
        Add(new ChainProblem(entry.Seq, ChainProblemKind.EventNotInChain, $"event #{entry.Seq} lies inside the sealed range but has no chain row: it was inserted after the chain passed it."));
        _lastSeen = entry.Seq;
    }

    /// <summary>Everything found, once the last row has gone past.</summary>
    public List<ChainProblem> Finish()
    {
        ResolvePending();
        return _problems;
    }

    private void ResolvePending()
    {
        if (_pending is { } p)
        {
            _pending = null;
            Add(Unexplained(p));
        }
    }

    private static ChainProblem Unexplained(Pending p) =>
        new(
            p.Seq,
            ChainProblemKind.Mismatch,
            p.GapFrom is { } from
                ? $"event #{p.Seq} does not follow from the chain before it: it changed after it was sealed, or its chain row was altered, or events {Range(from, p.Seq - 1)} were removed together with their chain rows."
                : $"event #{p.Seq} does not match its chain row: it changed after it was sealed, or its chain row was altered.");

    private static string Range(long from, long to) => from == to ? $"#{from}" : $"#{from}..#{to}";

    private void Accept(long seq, byte[] stored)
    {
        _previous = stored;
        _lastSeen = seq;
    }

    private void Add(ChainProblem problem)
    {
        if (_problems.Count < MaxCollected)
        {
            _problems.Add(problem);
        }
    }

    /// <summary>A mismatch waiting for the next row to tell which side changed.</summary>
    private sealed record Pending(long Seq, byte[] Computed, long? GapFrom);
}
