using System.CommandLine;

namespace Ledger.Cli.Commands;

/// <summary>Every verb of the <c>ledger</c> command, one file each.</summary>
internal static class Verbs
{
    /// <summary>Each verb's name (as typed) and the factory of its command.</summary>
    public static IReadOnlyList<(string Name, Func<Func<ParseResult, CliContext>, Command> Create)> Factories { get; } =
    [
        ("demo", DemoCommand.Create),
        ("init", InitCommand.Create),
        ("import-git", ImportGitCommand.Create),
        ("record", RecordCommand.Create),
        ("sync", SyncCommand.Create),
        ("annotate", AnnotateCommand.Create),
        ("timeline", TimelineCommand.Create),
        ("show", ShowCommand.Create),
        ("why", WhyCommand.Create),
        ("deploy", DeployCommand.Create),
        ("restore", RestoreCommand.Create),
        ("service", ServiceCommand.Create),
        ("validate", ValidateCommand.Create),
        ("snapshot", SnapshotCommand.Create),
        ("serve", ServeCommand.Create),
        ("backup", BackupCommand.Create),
        ("restore-file", RestoreFileCommand.Create),
        ("seal", SealCommand.Create),
        ("verify", VerifyCommand.Create),
        ("checkpoint", CheckpointCommand.Create),
        ("db", DbCommand.Create),
        ("fleet", FleetCommand.Create),
        ("docs", DocsCommand.Create),
        ("import-docs", ImportDocsCommand.Create),
        ("report", ReportCommand.Create),
        ("tui", TuiCommand.Create),
    ];

    public static IEnumerable<Command> All(Func<ParseResult, CliContext> context) => Factories.Select(f => f.Create(context));

    /// <summary>
    /// Only the verb the command line starts with, when it starts with one (the git hook's
    /// <c>ledger record commit</c> should not pay for building two dozen command trees); else all,
    /// so that usage errors and help list every verb.
    /// </summary>
    public static IEnumerable<Command> For(string[] args, Func<ParseResult, CliContext> context)
    {
        if (args.Length > 0 && Factories.FirstOrDefault(f => f.Name == args[0]).Create is { } create)
        {
            return [create(context)];
        }

        return All(context);
    }
}
