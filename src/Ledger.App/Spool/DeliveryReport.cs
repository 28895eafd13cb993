using Ledger.Core.Errors;
using Ledger.Core.Text;
using Ledger.Store;
using Npgsql;

namespace Ledger.App.Spool;

/// <summary>What one delivery of the spool did: events stored, events found stored already, files set aside, what is left and why.</summary>
/// <param name="Delivered">Events appended now.</param>
/// <param name="AlreadyStored">Events whose stream existed (delivered before a crash, or recorded meanwhile by another way): removed from the spool, not stored twice.</param>
/// <param name="Rejected">Files that could not be read back, moved to <c>rejected/</c>.</param>
/// <param name="Remaining">Events still in the spool.</param>
/// <param name="Failure">What stopped the delivery (the database, a refused event), or null.</param>
/// <param name="FailedFile">The file whose event failed, or null.</param>
/// <param name="Busy">Another process held the spool's lock throughout: nothing was delivered here.</param>
internal sealed record DeliveryReport(
    int Delivered,
    int AlreadyStored,
    IReadOnlyList<RejectedFile> Rejected,
    int Remaining,
    Exception? Failure = null,
    string? FailedFile = null,
    bool Busy = false)
{
    /// <summary>Whether the database could not be reached (the events wait for it).</summary>
    public bool Unreachable => Failure is { } f && DatabaseErrors.IsUnreachable(f);

    /// <summary>
    /// 0 when the spool is empty and nothing was set aside; 2 when the database cannot be reached or
    /// another process holds the spool (the events wait); 3 when the database's disk is full; 1 when
    /// a spooled event was refused or a file was set aside in <c>rejected/</c>.
    /// </summary>
    public int ExitCode => this switch
    {
        { Busy: true } => ExitCodes.UsageOrEnvironment,
        { Failure: { } f } when DatabaseErrors.DiskFull(f) is not null => ExitCodes.DatabaseFull,
        { Failure: LedgerException { ExitCode: ExitCodes.DatabaseFull } } => ExitCodes.DatabaseFull,
        { Unreachable: true } => ExitCodes.UsageOrEnvironment,
        { Failure: not null } => ExitCodes.Failure,
        { Rejected.Count: > 0 } => ExitCodes.Failure,
        { Remaining: > 0 } => ExitCodes.Failure,
        _ => ExitCodes.Success,
    };

    /// <summary>One line: what was delivered and what is left.</summary>
    public string Summary(string folder)
    {
        var done = Delivered + AlreadyStored == 0
            ? "Nothing delivered"
            : $"Delivered {Plural.Of(Delivered, "spooled event")}" + (AlreadyStored > 0 ? $" ({AlreadyStored} more were stored already)" : "");
        return Remaining == 0
            ? $"{done}; the spool ({folder}) is empty."
            : $"{done}; {Plural.Of(Remaining, "event")} left in the spool ({folder}).";
    }

    /// <summary>Why the delivery stopped, with what to do, or null when it did not.</summary>
    public string? Problem(string folder, string database) => this switch
    {
        { Busy: true } => $"another process is delivering the spool (it holds {Path.Combine(folder, ".lock")}; 'fuser' names it); the spool keeps {Plural.Of(Remaining, "event")} for it.",
        { Unreachable: true } => $"the database at {database} cannot be reached ({DatabaseErrors.DescribeUnreachable(Failure!)}); the spool keeps {Plural.Of(Remaining, "event")} until it answers: 'ledger sync' delivers them then (a running 'ledger serve' tries every 30 s).",
        { Failure: { } f } => $"the database refused the spooled event in {FailedFile} ({Reason(f)}); it and the {Plural.Of(Math.Max(0, Remaining - 1), "event")} after it stay in the spool, in order. Fix the cause and run 'ledger sync' again, or move that file to {Path.Combine(folder, "rejected")} to deliver the rest.",
        _ => null,
    };

    private static string Reason(Exception e) => e switch
    {
        LedgerException l => l.Message,
        _ when DatabaseErrors.DiskFull(e) is not null => "the database's disk is full",
        PostgresException p => $"{p.SqlState}: {p.MessageText}",
        _ => e.GetBaseException().Message,
    };
}
