namespace Ledger.Core.Events;

/// <summary>
/// Stream identities. A config change is its own stream keyed by host, repository and commit,
/// so recording the same commit twice collides on the stream key instead of adding an event,
/// and later annotations of that change append to the same stream.
/// </summary>
public static class StreamKeys
{
    public static string Commit(string host, string repo, string sha) => $"commit:{host}:{repo}:{sha}";

    /// <summary>The prefix shared by every commit stream of one repository on one host.</summary>
    public static string CommitPrefix(string host, string repo) => $"commit:{host}:{repo}:";

    public static string Repository(string host, string repo) => $"repo:{host}:{repo}";

    public static string Snapshots(string host, string kind) => $"snapshot:{host}:{kind}";

    public static string Validations(string host) => $"validation:{host}";

    public static string Deploy(string host, string deployId) => $"deploy:{host}:{deployId}";

    public static string Restore(string host, string restoreId) => $"restore:{host}:{restoreId}";

    /// <summary>
    /// An observed switch to <paramref name="generation"/>, after the event <paramref name="afterSeq"/>
    /// that recorded the generation before it (0: none): two observers of the same switch write one
    /// event, and a later return to the same generation is a new one.
    /// </summary>
    public static string Generation(string host, int generation, long afterSeq) => $"generation:{host}:{generation}:after-{afterSeq}";

    /// <summary>The prefix shared by every occurrence of one alert (by Alertmanager fingerprint) on one host.</summary>
    public static string Alert(string host, string fingerprint) => $"alert:{host}:{fingerprint}";

    /// <summary>
    /// One notification state of one alert occurrence: Alertmanager repeats a notification until the
    /// alert resolves, and each repeat collides on this key instead of adding an event. A new firing
    /// of the same alert has a new <paramref name="startsAt"/>, so it is a new occurrence.
    /// </summary>
    public static string AlertOccurrence(string host, string fingerprint, DateTimeOffset startsAt, string status) =>
        $"{Alert(host, fingerprint)}:{startsAt.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffffffZ}:{status}";

    /// <summary>One stream per content of a path: backing up unchanged content collides instead of duplicating.</summary>
    public static string Backup(string host, string path, string sha256) => $"backup:{host}:{path}:{sha256}";

    public static string FileRestores(string host) => $"file-restore:{host}";

    public static string Services(string host) => $"service:{host}";
}
