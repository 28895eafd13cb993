using Ledger.Core.Events;

namespace Ledger.Core.Alerts;

/// <summary>An event to record for one alert, and the stream key that makes a repeat collide.</summary>
public sealed record AlertFact(string StreamKey, ILedgerEvent Event);
