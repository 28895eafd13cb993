using Ledger.Core.Errors;

namespace Ledger.Core.Alerts;

/// <summary>A webhook body that is not a usable Alertmanager notification; the message names what is wrong.</summary>
public sealed class AlertPayloadException : LedgerException
{
    public AlertPayloadException(string message)
        : base(message)
    {
    }

    public AlertPayloadException()
        : base("The body is not an Alertmanager webhook notification.")
    {
    }

    public AlertPayloadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
