using System.CommandLine;

namespace Ledger.Cli.Commands;

/// <summary>Every verb of the <c>ledger</c> command, one file each.</summary>
internal static class Verbs
{
    public static IEnumerable<Command> All(Func<ParseResult, CliContext> context) =>
    [
        DemoCommand.Create(context),
        InitCommand.Create(context),
        ImportGitCommand.Create(context),
        RecordCommand.Create(context),
        AnnotateCommand.Create(context),
        TimelineCommand.Create(context),
        ShowCommand.Create(context),
        DeployCommand.Create(context),
        RestoreCommand.Create(context),
        ServiceCommand.Create(context),
        ValidateCommand.Create(context),
        SnapshotCommand.Create(context),
        ServeCommand.Create(context),
        BackupCommand.Create(context),
        RestoreFileCommand.Create(context),
        SealCommand.Create(context),
        VerifyCommand.Create(context),
        CheckpointCommand.Create(context),
        DbCommand.Create(context),
        BenchCommand.Create(context),
        DocsCommand.Create(context),
        ImportDocsCommand.Create(context),
        ReportCommand.Create(context),
        TuiCommand.Create(context),
    ];
}
