using Ledger.App.Daemon;
using Ledger.Cli.Output;
using Serilog;
using Serilog.Events;
using Serilog.Sinks.SystemConsole.Themes;

namespace Ledger.Cli.Serve;

/// <summary>
/// The daemon's log: the console, in a form that suits where it goes, plus an optional file.
/// Under systemd (JOURNAL_STREAM set) each line starts with its syslog priority and carries no
/// timestamp (journald adds both); on a terminal, coloured lines with the time; redirected
/// elsewhere, the same without colours.
/// </summary>
internal static class ServeLogging
{
    public static Serilog.Core.Logger Create(ServeSettings settings, Func<string, string?> env, TextWriter console, bool verbose)
    {
        var config = new LoggerConfiguration()
            .MinimumLevel.Is(verbose ? LogEventLevel.Debug : LogEventLevel.Information)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .Enrich.FromLogContext();

        // Every sink behind InertLogSink: alert names, paths and error messages are others' text.
        var writer = InertWriter.Unwrap(console);
        if (!string.IsNullOrEmpty(env("JOURNAL_STREAM")))
        {
            config = InertLogSink.Around(config.Enrich.With<JournaldPriority>().WriteTo, w => w.Sink(new WriterSink(writer, "<{Priority}>{Message:lj}{NewLine}{Exception}")));
        }
        else if (ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected)
        {
            config = InertLogSink.Around(config.WriteTo, w => w.Console(theme: AnsiConsoleTheme.Code, outputTemplate: "{Timestamp:HH:mm:ss} [{Level:u3}] {Message:lj}{NewLine}{Exception}"));
        }
        else
        {
            config = InertLogSink.Around(config.WriteTo, w => w.Sink(new WriterSink(writer, "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} [{Level:u3}] {Message:lj}{NewLine}{Exception}")));
        }

        if (settings.LogFile is { } file)
        {
            config = InertLogSink.Around(config.WriteTo, w => w.File(
                file,
                rollingInterval: RollingInterval.Day,
                retainedFileCountLimit: 14,
                shared: true,
                outputTemplate: "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} [{Level:u3}] {Message:lj}{NewLine}{Exception}"));
        }

        return config.CreateLogger();
    }
}
