using Serilog;
using Serilog.Configuration;

namespace Ledger.App.Logging;

/// <summary>
/// The log file every command writes, whichever executable runs it (<c>ledger</c>, or the git
/// hook's <c>ledger-hook</c>): <c>$LEDGER_HOME/logs/ledger-DATE.log</c>, Debug and up, each line
/// with the process id, every value made inert (<see cref="InertLogSink"/>).
/// </summary>
internal static class CommandLog
{
    public const string FileTemplate = "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} [{Level:u3}] {Message:lj}{NewLine}{Exception}";
    private const string CommandFileTemplate = "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} [{Level:u3}] ({Pid}) {Message:lj}{NewLine}{Exception}";

    /// <summary>
    /// A command's logger configuration with the day's file under <paramref name="home"/>. A home
    /// that cannot hold logs is no reason to fail: the configuration then has no file, and
    /// <paramref name="problem"/> says why.
    /// </summary>
    public static LoggerConfiguration Configure(string home, out string? problem)
    {
        var config = new LoggerConfiguration().MinimumLevel.Debug().Enrich.WithProperty("Pid", Environment.ProcessId);
        problem = null;
        try
        {
            var logs = Path.Combine(home, "logs");
            Directory.CreateDirectory(logs);
            return Daily(config.WriteTo, Path.Combine(logs, "ledger-.log"), CommandFileTemplate);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = $"cannot write logs under {home}: {e.Message}";
            return config;
        }
    }

    /// <summary>A file rolled daily, two weeks kept, shared between processes (commands run at once write one file).</summary>
    public static LoggerConfiguration Daily(LoggerSinkConfiguration writeTo, string path, string template) =>
        InertLogSink.Around(writeTo, w => w.File(path, rollingInterval: RollingInterval.Day, retainedFileCountLimit: 14, shared: true, outputTemplate: template));
}
