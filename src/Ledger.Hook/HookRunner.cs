using System.Diagnostics;
using Ledger.App.Logging;
using Ledger.App.Recording;
using Ledger.App.Settings;
using Ledger.Capture;
using Ledger.Capture.Git;
using Ledger.Capture.Processes;
using Ledger.Core.Errors;
using Ledger.Core.Events;
using Ledger.Core.Text;
using Ledger.Store;
using Ledger.Store.Embedded;
using Ledger.Store.Spool;
using Serilog;

namespace Ledger.Hook;

/// <summary>
/// <c>ledger-hook record commit ...</c>: the plain case of <c>ledger record commit</c> (the commit
/// read, one append through <see cref="StreamStarter"/>) in a process compiled ahead of time, so
/// that a commit without the daemon costs about as much as psql's insert. Whatever needs more
/// (Marten's store to create the schema or annotate, LibGit2Sharp's patch callbacks, the embedded
/// cluster to start, an unexpected failure, any other command line) is handed to the
/// <c>ledger</c> executable beside this one with the same arguments, so the result, the events and
/// the errors are always those of <c>ledger record commit</c>. <c>ledger-hook import-git ...</c>
/// (which a published <c>ledger import-git</c> runs) is the plain import the same way
/// (<see cref="ImportAsync"/>).
/// </summary>
internal static class HookRunner
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, Func<string, string?> env)
    {
        if (HookArguments.Parse(args) is not { } parsed)
        {
            return await HandOverAsync(args, null, "a command line the hook does not read itself");
        }

        output = InertWriter.Wrap(output);
        error = InertWriter.Wrap(error);
        var home = LedgerHome.Resolve(env);
        using var log = CommandLog.Configure(home, out _).CreateLogger();
        try
        {
            RedactionSettings.Apply(home);
            HostSettings.Apply(home);
            log.Debug("ledger {Command}", parsed.Import ? "import-git" : "commit");
            return parsed.Import
                ? await ImportAsync(args, parsed, output, error, env, home, log)
                : await RecordAsync(args, parsed, output, error, env, home, log);
        }
        catch (LedgerException e)
        {
            log.Warning("Command failed with exit code {ExitCode}: {Message}", e.ExitCode, e.Message);
            await error.WriteLineAsync($"ledger: {e.Message}");
            return e.ExitCode;
        }
    }

    private static async Task<int> RecordAsync(string[] args, HookArguments a, TextWriter output, TextWriter error, Func<string, string?> env, string home, ILogger log)
    {
        var host = a.Host ?? LedgerHome.DefaultHost(env);
        var actor = ActorInfo.Resolve(env, Environment.UserName);
        NewEvent newEvent;
        try
        {
            using var reader = GitHistoryReader.Open(a.Repo);
            newEvent = CommitRecorder.Event(reader, a.Revision, host, actor, a.Purpose, a.Notes);
        }
        catch (LineCallbacksUnavailableException)
        {
            return await HandOverAsync(args, log, "the commit needs LibGit2Sharp's patch reading");
        }

        // Spooled events go first (ledger delivers them, reading them back with the JIT's full
        // serializer); until the spool is empty again every commit takes that path.
        var spool = new EventSpool(home);
        if (spool.HasPending)
        {
            return await HandOverAsync(args, log, "the spool holds events to deliver first");
        }

        if (Database(a, env, home) is not { } db)
        {
            return await HandOverAsync(args, log, "the embedded PostgreSQL is not running");
        }

        // A database that cannot be reached is not waited for: the commit goes to the spool.
        var retry = Retry(env, error, log) with { WaitsForUnreachable = false };
        var edit = (ConfigEdited)newEvent.Event;
        StreamStarter.Outcome outcome;
        try
        {
            (outcome, _) = await StreamStarter.TryStartAsync(db, newEvent, retry);
        }
        catch (Exception e) when (DatabaseErrors.IsUnreachable(e))
        {
            var spooled = CommitRecorder.Spool(spool, newEvent, CommitRecorder.Unreachable(ConnectionStrings.Describe(db), e));
            await CommitRecorder.ReportAsync(new CommitRecorder.Recording(CommitRecorder.HookResult.Spooled, edit, Spooled: spooled), output, error, log);
            return ExitCodes.Success;
        }
        catch (Exception e) when (e is not LedgerException)
        {
            // The full ledger tells a full disk, a lost connection and a bug apart, and says what to do.
            log.Debug(e, "The hook's append failed");
            return await HandOverAsync(args, log, "the append failed");
        }

        var annotate = a.Purpose is not null || a.Notes is not null;
        if (outcome == StreamStarter.Outcome.Started || (outcome == StreamStarter.Outcome.AlreadyExists && !annotate))
        {
            var result = outcome == StreamStarter.Outcome.Started ? CommitRecorder.HookResult.Recorded : CommitRecorder.HookResult.AlreadyRecorded;
            await CommitRecorder.ReportAsync(new CommitRecorder.Recording(result, edit), output, error, log);
            return ExitCodes.Success;
        }

        return await HandOverAsync(args, log, outcome == StreamStarter.Outcome.NeedsStore ? "the schema needs creating or upgrading" : "the purpose/notes become an annotation");
    }

    /// <summary>
    /// <c>ledger import-git</c> without Marten's store or a JIT: the commits read on two threads
    /// and appended in batches by <see cref="EventAppender"/>, exactly as ledger does it (the same
    /// <see cref="GitImport"/>). A commit that needs LibGit2Sharp's per-line callbacks is recorded
    /// in its place in history by <c>ledger record commit</c>; a schema to create, an embedded
    /// cluster to start or a failure hands the whole import to ledger, which goes on from where
    /// this one stopped (recorded commits are skipped).
    /// </summary>
    private static async Task<int> ImportAsync(string[] args, HookArguments a, TextWriter output, TextWriter error, Func<string, string?> env, string home, ILogger log)
    {
        var host = a.Host ?? LedgerHome.DefaultHost(env);
        var actor = ActorInfo.Resolve(env, Environment.UserName);
        using var reader = GitHistoryReader.Open(a.Repo);

        // Spooled events go in before the import's (ledger delivers them, as for a commit).
        if (new EventSpool(home).HasPending)
        {
            return await HandOverAsync(args, log, "the spool holds events to deliver first");
        }

        // The history is walked while the database is reached.
        _ = reader.CommitsFromHeadAsync();
        if (Database(a, env, home) is not { } db)
        {
            return await HandOverAsync(args, log, "the embedded PostgreSQL is not running");
        }

        ImportResult result;
        try
        {
            await using var appender = await EventAppender.TryOpenAsync(db, Retry(env, error, log));
            if (appender is null)
            {
                return await HandOverAsync(args, log, "the schema needs creating or upgrading");
            }

            log.Information("Importing {Repo} as host {Host}", reader.RepoKey, host);
            var progress = Console.IsOutputRedirected ? null : new TerminalProgress(Console.Out);
            try
            {
                result = await GitImport.RunAsync(appender, reader, host, actor, progress, (sha, ct) => RecordWithLedgerAsync(sha, reader.RepoKey, host, db, error, log, ct), CancellationToken.None);
            }
            finally
            {
                // Wiped whatever happens, so that an error or the summary starts on a clean line.
                progress?.Clear();
            }
        }
        catch (Exception e) when (e is not LedgerException)
        {
            // The full ledger tells a full disk, a lost connection and a bug apart, and says what to do.
            log.Debug(e, "The hook's import failed");
            return await HandOverAsync(args, log, "the import failed");
        }

        await GitImport.SummaryAsync(result, output, log);
        await GitImport.WarningsAsync(result, error, log);
        return ExitCodes.Success;
    }

    /// <summary>
    /// Records one commit with <c>ledger record commit</c> (the same event an import writes), its
    /// errors on this process's stderr. Whether it recorded the commit (rather than finding it
    /// recorded), and what the commit was recorded without (its warning, which the import's own
    /// list of such commits takes in, as ledger's import does).
    /// </summary>
    private static async Task<(bool Recorded, string? Incomplete)> RecordWithLedgerAsync(string sha, string repo, string host, string db, TextWriter error, ILogger log, CancellationToken ct)
    {
        var ledger = Ledger();
        log.Debug("ledger-hook hands commit {Sha} to {Ledger}: it needs LibGit2Sharp's patch reading", sha, ledger);
        var start = new ProcessStartInfo(ledger) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "record", "commit", sha, "--repo", repo, "--host", host })
        {
            start.ArgumentList.Add(arg);
        }

        // The connection string goes by the environment, not the command line, where ps shows it.
        start.Environment["LEDGER_DB"] = db;
        start.Environment[HookInstaller.HandedOverVariable] = "1";
        using var process = Process.Start(start) ?? throw new CaptureException($"{ledger} could not be started to record commit {sha}.");
        var said = process.StandardOutput.ReadToEndAsync(ct);
        var complained = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        string? incomplete = null;
        var warning = CommitRecorder.IncompleteWarning(sha);
        foreach (var line in (await complained).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith(warning, StringComparison.Ordinal))
            {
                incomplete = line[warning.Length..];
            }
            else
            {
                await error.WriteLineAsync(line);
            }
        }

        if (process.ExitCode != 0)
        {
            throw new CaptureException($"'ledger record commit {sha}' failed (exit {process.ExitCode}); nothing after it was imported. Run 'ledger import-git' again to go on.", process.ExitCode);
        }

        return ((await said).StartsWith("Recorded ", StringComparison.Ordinal), incomplete);
    }

    /// <summary>--db, else $LEDGER_DB, else the embedded cluster when it is running; null when it is not (ledger starts it).</summary>
    private static string? Database(HookArguments a, Func<string, string?> env, string home)
    {
        var db = string.IsNullOrWhiteSpace(a.Db) ? env("LEDGER_DB") : a.Db;
        if (db is not null)
        {
            return db;
        }

        var embedded = new EmbeddedPostgres(home, ProgramRunner.Default);
        return embedded.State == ClusterState.Running ? embedded.ConnectionString() : null;
    }

    private static RetryPolicy Retry(Func<string, string?> env, TextWriter error, ILogger log) =>
        RetryPolicy.FromSetting(env(RetryPolicy.EnvironmentVariable)) with
        {
            Report = line =>
            {
                log.Warning("Database retry: {Line}", line);
                error.WriteLine($"ledger: {line}");
            },
        };

    /// <summary>
    /// The .NET ledger beside this program: <c>ledger-cli</c> where <c>ledger</c> is the published
    /// front door (ledger.sh, which would send it on there anyway), else <c>ledger</c> itself.
    /// </summary>
    private static string Ledger()
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "ledger-cli");
        return File.Exists(cli) ? cli : Path.Combine(AppContext.BaseDirectory, "ledger");
    }

    /// <summary>Runs the ledger executable beside this one with the same arguments and standard streams, and returns its exit code.</summary>
    private static async Task<int> HandOverAsync(string[] args, ILogger? log, string why)
    {
        var ledger = Ledger();
        if (!File.Exists(ledger))
        {
            await Console.Error.WriteLineAsync($"ledger: {ledger} is missing; ledger-hook needs the ledger executable beside it ({why}). Reinstall Ledger, or run 'ledger record commit' yourself.");
            return ExitCodes.UsageOrEnvironment;
        }

        log?.Debug("ledger-hook hands the command to {Ledger}: {Why}", ledger, why);
        var start = new ProcessStartInfo(ledger) { UseShellExecute = false };
        start.Environment[HookInstaller.HandedOverVariable] = "1";
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        await process.WaitForExitAsync();
        return process.ExitCode;
    }
}
