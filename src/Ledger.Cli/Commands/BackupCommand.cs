using System.CommandLine;
using Ledger.App.Recording;
using Ledger.Capture.Files;
using Ledger.Capture.Git;
using Ledger.Core.Errors;
using Ledger.Core.Events;
using Ledger.Core.Text;
using Ledger.Store;

namespace Ledger.Cli.Commands;

internal static class BackupCommand
{
    public const long DefaultMaxBytes = 64L * 1024 * 1024;

    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var paths = new Argument<string[]>("path") { Description = "Files to back up", Arity = ArgumentArity.OneOrMore };
        var reason = new Option<string?>("--reason") { Description = "Why (e.g. 'before enabling NVENC')" };
        var maxSize = new Option<long>("--max-size") { Description = "Refuse files larger than this many bytes", DefaultValueFactory = _ => DefaultMaxBytes };
        var repo = CommonOptions.Repo();
        repo.Description = "The configuration repository whose HEAD is recorded as the commit in effect";
        var host = CommonOptions.RecordHost();
        var json = CommonOptions.Json();
        var command = new Command("backup", "Store files' content (deduplicated by SHA-256), one backup event per changed file") { paths, reason, maxSize, repo, host, json };
        command.SetAction(async (r, ct) =>
        {
            var ctx = context(r);
            var hostName = r.GetValue(host) ?? ctx.DefaultHost;
            var max = r.GetValue(maxSize);

            // Read every file first: a bad path among several is reported before anything is stored.
            var files = new List<FileFingerprint>();
            foreach (var p in r.GetValue(paths)!)
            {
                files.Add(await FileFingerprint.ReadAsync(p, max, ct));
            }

            var commit = ConfigCommit.TryHead(r.GetValue(repo)!);
            var why = r.GetValue(reason) is { } text ? Redactor.Default.Redact(text) : null;
            await using var store = await ctx.OpenStoreAsync(ct);
            var recorded = new Recorded();
            foreach (var f in files)
            {
                var (seq, isNew) = await BackupAsync(store, f, hostName, ctx.Actor, why, commit, ct);
                if (isNew)
                {
                    await recorded.AddAsync(store, seq, ct);
                }

                if (!r.GetValue(json))
                {
                    await ctx.Out.WriteLineAsync(isNew
                        ? $"#{seq} backed up {f.Path} ({f.SizeBytes} bytes, sha256 {f.Sha256[..12]})"
                        : $"{f.Path} is unchanged since backup #{seq}; nothing recorded.");
                }
            }

            if (r.GetValue(json))
            {
                await recorded.WriteJsonAsync(ctx.Out);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Stores the content (if new) and records the backup (if this content of this path is new). Returns the backup's seq.</summary>
    public static async Task<(long Seq, bool IsNew)> BackupAsync(LedgerStore store, FileFingerprint f, string host, string actor, string? reason, string? commit, CancellationToken ct)
    {
        var key = StreamKeys.Backup(host, f.Path, f.Sha256);
        if (await store.StreamExistsAsync(key, ct))
        {
            return (await store.FirstSeqOfStreamAsync(key, ct), false);
        }

        // Content and event go in together: a failure (a full disk on the database side) stores neither.
        var e = new BackupTaken(host, actor, f.Path, f.Sha256, f.SizeBytes, reason, commit, f.UnixMode);
        long? seq;
        try
        {
            seq = await store.RecordBackupAsync(
                new NewEvent(key, e),
                f.Sha256,
                f.SizeBytes,
                () => new FileStream(f.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true),
                ct);
        }
        catch (Exception ex) when (DatabaseErrors.DiskFull(ex) is { } full)
        {
            throw new StoreException(
                $"The database server's disk is full: storing the backup of {f.Path} ({f.SizeBytes} bytes) failed ({full.MessageText}). " +
                "Nothing of this backup was stored (content and event are one transaction, rolled back); backups listed above it were stored. " +
                "Free space on the disk that holds the PostgreSQL data directory (or the tablespace in the message), then run 'ledger backup' again.",
                ExitCodes.DatabaseFull,
                ex);
        }

        return seq is { } s ? (s, true) : (await store.FirstSeqOfStreamAsync(key, ct), false);
    }
}
