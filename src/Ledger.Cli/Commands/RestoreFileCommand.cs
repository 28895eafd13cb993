using System.CommandLine;
using System.Security.Cryptography;
using Ledger.App.Recording;
using Ledger.Capture.Files;
using Ledger.Core.Errors;
using Ledger.Core.Events;
using Ledger.Store;

namespace Ledger.Cli.Commands;

internal static class RestoreFileCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var path = new Argument<string>("path") { Description = "The file whose backed-up content to restore" };
        var at = new Option<long?>("--at") { Description = "Restore the content backed up at or before event SEQ (default: the latest backup)" };
        var to = new Option<string?>("--to") { Description = "Write to this path instead of PATH" };
        var host = CommonOptions.RecordHost();
        var json = CommonOptions.Json();
        var command = new Command("restore-file", "Put a backed-up file back, byte for byte with its mode (the current content is backed up first)") { path, at, to, host, json };
        command.SetAction(async (r, ct) =>
        {
            var ctx = context(r);
            var hostName = r.GetValue(host) ?? ctx.DefaultHost;
            var source = Path.GetFullPath(r.GetValue(path)!);
            var dest = Path.GetFullPath(r.GetValue(to) ?? source);
            var atSeq = r.GetValue(at);
            if (Directory.Exists(dest))
            {
                throw new LedgerException($"{dest} is a directory; give --to the path of the file to write.");
            }

            if (!Directory.Exists(Path.GetDirectoryName(dest)))
            {
                throw new LedgerException($"The folder of {dest} does not exist; create it first or choose another --to.");
            }

            await using var store = await ctx.OpenStoreAsync(ct);
            var entry = await store.LatestAsync(typeof(BackupTaken), hostName, "path", source, atSeq, ct)
                ?? throw new LedgerException(atSeq is { } s
                    ? $"There is no backup of {source} on host {hostName} at or before #{s}. List backups with: ledger timeline --kind backup --grep {Path.GetFileName(source)}"
                    : $"There is no backup of {source} on host {hostName}. List backups with: ledger timeline --kind backup");
            var backup = (BackupTaken)entry.Data;
            var recorded = new Recorded();

            // The current content goes into the ledger first, so the restore itself can be undone.
            string? previousSha = null;
            long? previousSeq = null;
            if (File.Exists(dest))
            {
                var current = await FileFingerprint.ReadAsync(dest, long.MaxValue, ct);
                previousSha = current.Sha256;
                if (current.Sha256 == backup.Sha256 && (backup.UnixMode is null || current.UnixMode == backup.UnixMode))
                {
                    await ctx.Out.WriteLineAsync($"{dest} already has the content of backup #{entry.Seq}; nothing to do.");
                    return ExitCodes.Success;
                }

                var (seq, isNew) = await BackupCommand.BackupAsync(store, current, hostName, ctx.Actor, $"before restore-file from #{entry.Seq}", null, ct);
                previousSeq = seq;
                if (isNew)
                {
                    await recorded.AddAsync(store, seq, ct);
                }
            }

            try
            {
                await WriteAtomicallyAsync(store, backup, dest, ct);
            }
            catch (IOException e)
            {
                // A full disk (or a read-only one) fails the temporary file; the target is untouched.
                throw new LedgerException(
                    $"Could not write {dest}: {e.Message} The file is unchanged (the restore writes a temporary copy first); free space or choose another --to, then run it again.",
                    ExitCodes.Failure,
                    e);
            }
            var restored = await store.AppendAsync(
                new NewEvent(StreamKeys.FileRestores(hostName), new FileRestored(hostName, ctx.Actor, source, dest, entry.Seq, backup.Sha256, previousSha, previousSeq)),
                ct);
            await recorded.AddAsync(store, restored, ct);
            if (r.GetValue(json))
            {
                await recorded.WriteJsonAsync(ctx.Out);
            }
            else
            {
                if (previousSeq is { } p)
                {
                    await ctx.Out.WriteLineAsync($"The content it replaced is backup #{p}.");
                }

                await ctx.Out.WriteLineAsync($"#{restored} restored {dest} from backup #{entry.Seq} ({backup.SizeBytes} bytes, sha256 {backup.Sha256[..12]}).");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// Writes to a temporary file beside the destination, checks its hash, sets the mode, flushes
    /// it to disk and renames it over the destination: the destination is either the old file or
    /// the whole restored one, never half of it.
    /// </summary>
    private static async Task WriteAtomicallyAsync(LedgerStore store, BackupTaken backup, string dest, CancellationToken ct)
    {
        var temp = Path.Combine(Path.GetDirectoryName(dest)!, $".{Path.GetFileName(dest)}.ledger-restore-{Environment.ProcessId}");
        try
        {
            await using (var output = new FileStream(temp, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, useAsync: true))
            {
                if (!await store.CopyBlobToAsync(backup.Sha256, output, ct))
                {
                    throw new LedgerException($"The content of this backup ({backup.Sha256}) is missing from the database; the ledger is damaged. Nothing was changed.", ExitCodes.Failure);
                }

                await output.FlushAsync(ct);
                output.Position = 0;
                var hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(output, ct));
                if (hash != backup.Sha256)
                {
                    throw new LedgerException($"The stored content does not match its hash {backup.Sha256} (got {hash}); the ledger is damaged. Nothing was changed.", ExitCodes.Failure);
                }

                output.Flush(flushToDisk: true);
            }

            if (backup.UnixMode is { } mode)
            {
                File.SetUnixFileMode(temp, (UnixFileMode)mode);
            }

            File.Move(temp, dest, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }
}
