namespace Ledger.Store.Spool;

/// <summary>A spool file that cannot be read back as an event (truncated, edited, from an unknown format): it is set aside in <c>rejected/</c>, never dropped.</summary>
public sealed class SpoolFormatException : Exception
{
    public SpoolFormatException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
