using Serilog.Core;
using Serilog.Events;

namespace Ledger.Cli.Logging;

/// <summary>
/// Adds <c>Priority</c>, the syslog level that journald reads from a <c>&lt;N&gt;</c> prefix on each
/// line of a service's output, so <c>journalctl -p warning -u ledger</c> shows warnings and worse.
/// </summary>
internal sealed class JournaldPriority : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        var priority = logEvent.Level switch
        {
            LogEventLevel.Verbose or LogEventLevel.Debug => 7,
            LogEventLevel.Information => 6,
            LogEventLevel.Warning => 4,
            LogEventLevel.Error => 3,
            _ => 2,
        };
        logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty("Priority", priority));
    }
}
