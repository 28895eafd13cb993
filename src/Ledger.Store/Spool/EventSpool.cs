using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Ledger.Store.Spool;

/// <summary>
/// The durable local spool, <c>$LEDGER_HOME/spool/</c>: events that could not reach the database
/// (it was down or unreachable when a commit was made), kept one file each until they are
/// delivered (<c>ledger sync</c>, the daemon's <c>spool</c> schedule, the next <c>record commit</c>).
/// </summary>
/// <remarks>
/// A file is written whole or not at all: a temporary file, fsync, rename, fsync of the folder,
/// so a crash or a power cut leaves either the event or nothing, never half of one. File names
/// begin with the UTC time of spooling (to the tick) and sort in the order events arrived; a
/// name is never earlier than the last one in the spool, even if the clock steps back. Only
/// events that start a stream of their own are spooled (a commit, an alert occurrence): their
/// stream key identifies them, so delivering one twice (a crash between the append and the
/// delete) stores it once.
/// </remarks>
public sealed class EventSpool
{
    /// <summary>The format version of the files; a file of another version is set aside, not guessed at.</summary>
    public const int Format = 1;

    private const string Extension = ".json";
    private const string TimeFormat = "yyyyMMdd'T'HHmmss.fffffff'Z'";
    private const int TimeLength = 24;
    private const string TempPrefix = ".tmp-";

    // Options given here replace the context's attribute: all of them are repeated.
    private static readonly SpoolJsonContext Json = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,

        // The event's text as it reads (diffs, messages), not \u-escaped.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public EventSpool(string home)
    {
        Folder = Path.Combine(home, "spool");
    }

    /// <summary><c>$LEDGER_HOME/spool</c>.</summary>
    public string Folder { get; }

    /// <summary>Where files that cannot be read back are set aside, each with a <c>.why</c> file beside it.</summary>
    public string RejectedFolder => Path.Combine(Folder, "rejected");

    private string LockFile => Path.Combine(Folder, ".lock");

    // The group may read and write (the umask still applies): on NixOS the hook spools as root and
    // the daemon, user ledger in group ledger, delivers from the same setgid folder.
    private const UnixFileMode SpoolFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;

    private const UnixFileMode FolderMode = SpoolFileMode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute;

    /// <summary>The spooled events' files, oldest first.</summary>
    public IReadOnlyList<string> Pending()
    {
        if (!Directory.Exists(Folder))
        {
            return [];
        }

        var files = Directory.EnumerateFiles(Folder, "*" + Extension).Where(f => !Path.GetFileName(f).StartsWith('.')).ToList();
        files.Sort(StringComparer.Ordinal);
        return files;
    }

    /// <summary>Whether any event waits (cheap: one directory read).</summary>
    public bool HasPending => Directory.Exists(Folder) && Directory.EnumerateFiles(Folder, "*" + Extension).Any(f => !Path.GetFileName(f).StartsWith('.'));

    /// <summary>How many events wait, their size, the oldest's time (from its file name) and how many files were rejected.</summary>
    public SpoolStatus Status()
    {
        var pending = Pending();
        long bytes = 0;
        foreach (var file in pending)
        {
            try
            {
                bytes += new FileInfo(file).Length;
            }
            catch (FileNotFoundException)
            {
                // Delivered meanwhile.
            }
        }

        var rejected = Directory.Exists(RejectedFolder) ? Directory.EnumerateFiles(RejectedFolder, "*" + Extension).Count() : 0;
        return new SpoolStatus(Folder, pending.Count, bytes, pending.Count > 0 ? TimeOf(pending[0]) : null, rejected);
    }

    /// <summary>
    /// Keeps <paramref name="e"/> (an event that starts its own stream) until it can be delivered,
    /// durably: when this returns, the event survives a crash or a power cut.
    /// </summary>
    /// <param name="reason">Why it was spooled (the database that could not be reached and why), kept in the file.</param>
    /// <param name="now">The time of spooling; also the event's time when it has none of its own (an alert is stored as received).</param>
    public SpooledFile Add(NewEvent e, string reason, DateTimeOffset now)
    {
        var descriptor = EventCatalogue.Describe(e.Event.GetType());
        using var body = JsonDocument.Parse(e.Json);
        var entry = new SpoolEntry(Format, e.StreamKey, descriptor.Alias, (e.OccurredAt ?? now).ToUniversalTime(), e.Event.Host, now.ToUniversalTime(), reason, body.RootElement);

        Directory.CreateDirectory(Folder, FolderMode);
        var temp = Path.Combine(Folder, TempPrefix + Guid.NewGuid().ToString("N"));
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = SpoolFileMode };
            using (var stream = new FileStream(temp, options))
            {
                JsonSerializer.Serialize(stream, entry, Json.SpoolEntry);
                stream.Flush(flushToDisk: true);
            }

            // The name is taken last, so that it sorts after every file already there.
            string file;
            while (true)
            {
                file = Path.Combine(Folder, NameAfter(now.UtcDateTime));
                try
                {
                    File.Move(temp, file, overwrite: false);
                    break;
                }
                catch (IOException) when (File.Exists(file))
                {
                    // Another process took the same name in the same tick: take the next one.
                }
            }

            SyncFolder(Folder);
            return new SpooledFile(file, Pending().Count);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>The event in <paramref name="file"/>, ready to append with its stream key, JSON and time; <see cref="SpoolFormatException"/> when it cannot be read back.</summary>
    public static SpooledEvent Read(string file)
    {
        SpoolEntry? entry;
        try
        {
            using var stream = File.OpenRead(file);
            entry = JsonSerializer.Deserialize(stream, Json.SpoolEntry);
        }
        catch (JsonException x)
        {
            throw new SpoolFormatException($"{Path.GetFileName(file)} is not a spooled event ({x.Message})", x);
        }

        if (entry is null)
        {
            throw new SpoolFormatException($"{Path.GetFileName(file)} is empty (null)");
        }

        if (entry.Format != Format)
        {
            throw new SpoolFormatException($"{Path.GetFileName(file)} has format {entry.Format}; this Ledger reads format {Format} (a newer Ledger wrote it: deliver it with that one)");
        }

        if (EventCatalogue.FindAlias(entry.Type) is not { } descriptor)
        {
            throw new SpoolFormatException($"{Path.GetFileName(file)} holds an event of type '{entry.Type}', which is not in this Ledger's catalogue");
        }

        if (entry.StreamKey.Length == 0)
        {
            throw new SpoolFormatException($"{Path.GetFileName(file)} has no stream key");
        }

        ILedgerEvent e;
        try
        {
            e = JsonSerializer.Deserialize(entry.Event, EventJson.Options.GetTypeInfo(descriptor.Type)) as ILedgerEvent
                ?? throw new SpoolFormatException($"{Path.GetFileName(file)} holds no {entry.Type} event");
        }
        catch (JsonException x)
        {
            throw new SpoolFormatException($"{Path.GetFileName(file)} holds a {entry.Type} event that cannot be read ({x.Message})", x);
        }

        var json = entry.Event.GetRawText();
        return new SpooledEvent(file, NewEvent.Serialised(entry.StreamKey, e, entry.OccurredAt, json), entry.Host, entry.SpooledAt, entry.Reason);
    }

    /// <summary>Removes a delivered event's file (durably: a crash after this does not bring it back).</summary>
    public void Remove(string file)
    {
        File.Delete(file);
        SyncFolder(Folder);
    }

    /// <summary>Moves a file that cannot be read back to <c>rejected/</c>, with <paramref name="why"/> in a <c>.why</c> file beside it; returns its new path.</summary>
    public string Reject(string file, string why)
    {
        Directory.CreateDirectory(RejectedFolder, FolderMode);
        var to = Path.Combine(RejectedFolder, Path.GetFileName(file));
        File.WriteAllText(to + ".why", why + "\n", Encoding.UTF8);
        File.Move(file, to, overwrite: true);
        SyncFolder(RejectedFolder);
        SyncFolder(Folder);
        return to;
    }

    /// <summary>
    /// The spool's lock, so that two processes (the daemon, <c>ledger sync</c>, a hook) never deliver
    /// the same file at once: an exclusive <c>flock</c> on <c>spool/.lock</c>, released when disposed
    /// or when the process dies. Null when another process still holds it after <paramref name="wait"/>.
    /// </summary>
    public async Task<IDisposable?> TryLockAsync(TimeSpan wait, CancellationToken ct = default)
    {
        Directory.CreateDirectory(Folder, FolderMode);
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            try
            {
                // FileShare.None takes an exclusive flock on Unix (as the embedded cluster's lock does).
                return new FileStream(LockFile, new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None, UnixCreateMode = SpoolFileMode });
            }
            catch (UnauthorizedAccessException) when (File.Exists(LockFile))
            {
                // Another user's lock file that the group may only read (made under umask 022): a
                // lock on a descriptor opened for reading is as exclusive.
                try
                {
                    return new FileStream(LockFile, FileMode.Open, FileAccess.Read, FileShare.None);
                }
                catch (IOException) when (DateTime.UtcNow < deadline)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(50), ct);
                }
                catch (IOException)
                {
                    return null;
                }
            }
            catch (IOException) when (File.Exists(LockFile) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), ct);
            }
            catch (IOException) when (File.Exists(LockFile))
            {
                return null;
            }
        }
    }

    /// <summary>Temporary files left by a process that died before its rename (never acknowledged, so never reported as spooled): removed after a day.</summary>
    public void RemoveAbandoned(DateTimeOffset now)
    {
        if (!Directory.Exists(Folder))
        {
            return;
        }

        foreach (var temp in Directory.EnumerateFiles(Folder, TempPrefix + "*"))
        {
            if (now.UtcDateTime - File.GetLastWriteTimeUtc(temp) > TimeSpan.FromDays(1))
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>When the event in <paramref name="file"/> was spooled, from its name.</summary>
    public static DateTimeOffset? TimeOf(string file)
    {
        var name = Path.GetFileName(file);
        return name.Length >= TimeLength
            && DateTime.TryParseExact(name.AsSpan(0, TimeLength), TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at)
            ? new DateTimeOffset(at, TimeSpan.Zero)
            : null;
    }

    /// <summary>A file name for an event spooled at <paramref name="now"/> that sorts after every file in the spool.</summary>
    private string NameAfter(DateTime now)
    {
        var pending = Pending();
        if (pending.Count > 0 && TimeOf(pending[^1]) is { } last && last.UtcDateTime >= now)
        {
            // The clock stepped back (or two events in one tick): one tick after the last keeps the order.
            now = last.UtcDateTime.AddTicks(1);
        }

        return now.ToString(TimeFormat, CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray(), 0, 4) + Extension;
    }

    /// <summary>fsync of a folder, so that a rename or a delete in it survives a power cut (a file's own fsync does not cover its name).</summary>
    private static void SyncFolder(string folder)
    {
        var fd = open(Encoding.UTF8.GetBytes(folder + "\0"), ReadOnly);
        if (fd < 0)
        {
            return;
        }

        _ = fsync(fd);
        _ = close(fd);
    }

    private const int ReadOnly = 0;

    [DllImport("libc", SetLastError = false)]
    private static extern int open(byte[] path, int flags);

    [DllImport("libc", SetLastError = false)]
    private static extern int fsync(int fd);

    [DllImport("libc", SetLastError = false)]
    private static extern int close(int fd);
}
