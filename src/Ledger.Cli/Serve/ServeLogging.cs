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

        if (!string.IsNullOrEmpty(env("JOURNAL_STREAM")))
        {
            config = config.Enrich.With<JournaldPriority>().WriteTo.Sink(new WriterSink(console, "<{Priority}>{Message:lj}{NewLine}{Exception}"));
        }
        else if (ReferenceEquals(console, Console.Out) && !Console.IsOutputRedirected)
        {
            config = config.WriteTo.Console(theme: AnsiConsoleTheme.Code, outputTemplate: "{Timestamp:HH:mm:ss} [{Level:u3}] {Message:lj}{NewLine}{Exception}");
        }
        else
        {
            config = config.WriteTo.Sink(new WriterSink(console, "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} [{Level:u3}] {Message:lj}{NewLine}{Exception}"));
        }

        if (settings.LogFile is { } file)
        {
            config = config.WriteTo.File(
                file,
                rollingInterval: RollingInterval.Day,
                retainedFileCountLimit: 14,
                shared: true,
                outputTemplate: "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} [{Level:u3}] {Message:lj}{NewLine}{Exception}");
        }

        return config.CreateLogger();
    }
}
