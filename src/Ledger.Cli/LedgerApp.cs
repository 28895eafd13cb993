using System.CommandLine;
using Ledger.App.Settings;
using Ledger.Cli.Commands;
using Ledger.Cli.Logging;
using Ledger.Core.Errors;
using Ledger.Core.Text;

namespace Ledger.Cli;

/// <summary>The composition root: parses the command line, builds the context and runs one verb.</summary>
internal static class LedgerApp
{
    /// <summary>An unexpected internal error (a bug): the log has the details.</summary>
    public const int InternalError = 70;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, Func<string, string?> env, CancellationToken ct = default)
    {
        // Everything printed below (results, help, parse errors, error messages quoting user data)
        // can carry recorded text: one writer makes its control characters inert.
        output = InertWriter.Wrap(output);
        error = InertWriter.Wrap(error);
        var db = new Option<string?>("--db") { Description = "PostgreSQL connection string (default: $LEDGER_DB, else the embedded database under $LEDGER_HOME)", Recursive = true };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Log to the console as well as to $LEDGER_HOME/logs", Recursive = true };
        var root = new RootCommand("Ledger: an event-sourced audit ledger for NixOS servers.") { db, verbose };

        CliContext? context = null;
        CliContext Context(ParseResult r) => context ??= CreateContext(r, output, error, env, db, verbose);

        foreach (var command in Verbs.For(args, Context))
        {
            root.Subcommands.Add(command);
        }

        // No response files: "@alice reviewed" or a diff line ("@@ -3,3 +3,3 @@") given to
        // --notes or --reason is text, not the name of a file of arguments.
        var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parse.Errors.Count > 0)
        {
            foreach (var line in UsageErrors.Describe(parse))
            {
                await error.WriteLineAsync(line.StartsWith("  ", StringComparison.Ordinal) ? line : $"ledger: {line}");
            }

            await error.WriteLineAsync("Run 'ledger --help' (or 'ledger <command> --help') for usage.");
            return ExitCodes.UsageOrEnvironment;
        }

        try
        {
            var invocation = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
            if (parse.CommandResult.Command.Name == "serve")
            {
                // SIGTERM cancels the daemon's token; it then needs more than the default 2 s to let
                // requests in flight finish before the process may end.
                invocation.ProcessTerminationTimeout = ServeCommand.TerminationGrace;
            }

            return await parse.InvokeAsync(invocation, ct);
        }
        catch (LedgerException e)
        {
            context?.Log.Warning("Command failed with exit code {ExitCode}: {Message}", e.ExitCode, e.Message);
            await error.WriteLineAsync($"ledger: {e.Message}");
            return e.ExitCode;
        }
        catch (Exception e) when (Ledger.Store.DatabaseErrors.WrongHost(e) is { } refused)
        {
            context?.Log.Warning("The database refused an event for another host: {Message}", refused.MessageText);
            await error.WriteLineAsync($"ledger: the database refused this: {refused.MessageText}. Nothing was stored.");
            if (refused.Hint is { Length: > 0 } hint)
            {
                await error.WriteLineAsync($"ledger: {hint}");
            }

            return ExitCodes.UsageOrEnvironment;
        }
        catch (Exception e) when (Ledger.Store.DatabaseErrors.DiskFull(e) is { } full)
        {
            context?.Log.Error(e, "The database server's disk is full");
            await error.WriteLineAsync(
                $"ledger: the database server's disk is full ({full.MessageText}). The step that failed was rolled back as a whole: " +
                "no partial event and no stored content without its event. Free space on the disk that holds the PostgreSQL data directory " +
                "(or the tablespace named above), for example by removing old WAL archives or logs or growing the volume, then run the command again: " +
                "it records only what is missing.");
            return ExitCodes.DatabaseFull;
        }
        catch (Exception e) when (Ledger.Store.DatabaseErrors.IsConnectionLost(e) || Ledger.Store.DatabaseErrors.IsTransient(e))
        {
            // Reached with retries off (LEDGER_DB_RETRY_SECONDS=0); exhausted retries end in a StoreException above.
            context?.Log.Error(e, "The database failed transiently");
            await error.WriteLineAsync(
                $"ledger: the database failed ({Ledger.Store.DatabaseErrors.Describe(e)}). Events are appended in whole transactions, so nothing was half-written; " +
                "what was acknowledged is stored. Check the database ('ledger db status'), then run the command again: it records only what is missing.");
            return ExitCodes.UsageOrEnvironment;
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("ledger: cancelled.");
            return ExitCodes.Failure;
        }
        catch (Exception e)
        {
            context?.Log.Error(e, "Unexpected error");
            await error.WriteLineAsync($"ledger: unexpected error: {e.Message}");
            await error.WriteLineAsync(context is null
                ? "This is a bug; please report it."
                : $"This is a bug; please report it with the log under {Path.Combine(context.Home, "logs")}.");
            return InternalError;
        }
        finally
        {
            if (context?.Log is IDisposable disposable)
            {
                disposable.Dispose();
            }
        }
    }

    private static CliContext CreateContext(ParseResult r, TextWriter output, TextWriter error, Func<string, string?> env, Option<string?> db, Option<bool> verbose)
    {
        var isVerbose = r.GetValue(verbose);
        var probe = new CliContext(output, error, env, r.GetValue(db), isVerbose, Serilog.Core.Logger.None);
        RedactionSettings.Apply(probe.Home);
        HostSettings.Apply(probe.Home);
        var logger = LedgerLogging.ForCommand(probe.Home, isVerbose, error);
        // Only the verb: arguments can carry connection strings and free text.
        logger.Debug("ledger {Command}", r.CommandResult.Command.Name);
        return new CliContext(output, error, env, r.GetValue(db), isVerbose, logger);
    }
}
