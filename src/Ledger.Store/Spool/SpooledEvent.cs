namespace Ledger.Store.Spool;

/// <summary>A spooled event read back from its file: the event to append (with its stored JSON) and what the file says about it.</summary>
public sealed record SpooledEvent(string File, NewEvent Event, string Host, DateTimeOffset SpooledAt, string Reason);
