using Ledger.App.Daemon;
using Ledger.Cli.Output;
using Serilog;
using Serilog.Configuration;
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
    private const string FileTemplate = "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} [{Level:u3}] {Message:lj}{NewLine}{Exception}";
    private const string CommandFileTemplate = "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} [{Level:u3}] ({Pid}) {Message:lj}{NewLine}{Exception}";

    /// <summary>
    /// A command's log: everything from Debug up to the day's file under <paramref name="home"/>,
    /// and to <paramref name="error"/>'s console with <paramref name="verbose"/>. A home that cannot
    /// hold logs is no reason to fail; with --verbose it is said on <paramref name="error"/>.
    /// </summary>
    public static Serilog.Core.Logger ForCommand(string home, bool verbose, TextWriter error)
    {
        var config = new LoggerConfiguration().MinimumLevel.Debug().Enrich.WithProperty("Pid", Environment.ProcessId);
        try
        {
            var logs = Path.Combine(home, "logs");
            Directory.CreateDirectory(logs);
            config = Daily(config.WriteTo, Path.Combine(logs, "ledger-.log"), CommandFileTemplate);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (verbose)
            {
                error.WriteLine($"ledger: cannot write logs under {home}: {e.Message}");
            }
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
            config = InertLogSink.Around(config.WriteTo, w => w.Sink(new WriterSink(writer, FileTemplate)));
        }

        return (settings.LogFile is { } file ? Daily(config.WriteTo, file, FileTemplate) : config).CreateLogger();
    }

    // Rolled daily, two weeks kept, shared between processes (commands run at once write one file).
    private static LoggerConfiguration Daily(LoggerSinkConfiguration writeTo, string path, string template) =>
        InertLogSink.Around(writeTo, w => w.File(path, rollingInterval: RollingInterval.Day, retainedFileCountLimit: 14, shared: true, outputTemplate: template));
}
