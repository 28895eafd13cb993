using Ledger.App.Daemon;
using Ledger.App.Logging;
using Ledger.Core.Text;
using Serilog;
using Serilog.Events;
using Serilog.Sinks.SystemConsole.Themes;

namespace Ledger.Cli.Logging;

/// <summary>
/// The one Serilog configuration. Every command logs to <c>$LEDGER_HOME/logs/ledger-DATE.log</c>
/// (and to stderr with --verbose). The daemon logs to the console in a form that suits where it
/// goes, plus an optional file: under systemd (JOURNAL_STREAM set) each line starts with its
/// syslog priority and carries no timestamp (journald adds both); on a terminal, coloured lines
/// with the time; redirected elsewhere, the same without colours. Every sink sits behind
/// <see cref="InertLogSink"/>: alert names, paths and error messages are others' text.
/// </summary>
internal static class LedgerLogging
{
    /// <summary>
    /// A command's log: everything from Debug up to the day's file under <paramref name="home"/>,
    /// and to <paramref name="error"/>'s console with <paramref name="verbose"/>. A home that cannot
    /// hold logs is no reason to fail; with --verbose it is said on <paramref name="error"/>.
    /// </summary>
    public static Serilog.Core.Logger ForCommand(string home, bool verbose, TextWriter error)
    {
        var config = CommandLog.Configure(home, out var problem);
        if (problem is not null && verbose)
        {
            error.WriteLine($"ledger: {problem}");
        }

        if (verbose)
        {
            config = InertLogSink.Around(config.WriteTo, w => w.Console(standardErrorFromLevel: LogEventLevel.Verbose, outputTemplate: "[{Level:u3}] {Message:lj}{NewLine}{Exception}"));
        }

        return config.CreateLogger();
    }

    /// <summary>The daemon's log: the console (<paramref name="console"/>) in its form, plus serve.json's logFile.</summary>
    public static Serilog.Core.Logger ForDaemon(ServeSettings settings, Func<string, string?> env, TextWriter console, bool verbose)
    {
        var config = new LoggerConfiguration()
            .MinimumLevel.Is(verbose ? LogEventLevel.Debug : LogEventLevel.Information)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .Enrich.FromLogContext();

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
            config = InertLogSink.Around(config.WriteTo, w => w.Sink(new WriterSink(writer, CommandLog.FileTemplate)));
        }

        return (settings.LogFile is { } file ? CommandLog.Daily(config.WriteTo, file, CommandLog.FileTemplate) : config).CreateLogger();
    }
}
