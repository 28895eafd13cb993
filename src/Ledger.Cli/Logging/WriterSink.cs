using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;

namespace Ledger.Cli.Logging;

/// <summary>Log lines to a <see cref="TextWriter"/> (standard output, or a test's buffer), flushed per event so journald sees each line at once.</summary>
internal sealed class WriterSink(TextWriter writer, string outputTemplate) : ILogEventSink
{
    private readonly MessageTemplateTextFormatter _formatter = new(outputTemplate, System.Globalization.CultureInfo.InvariantCulture);
    private readonly Lock _lock = new();

    public void Emit(LogEvent logEvent)
    {
        lock (_lock)
        {
            _formatter.Format(logEvent, writer);
            writer.Flush();
        }
    }
}
