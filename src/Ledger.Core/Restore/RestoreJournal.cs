using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Ledger.Core.Events;

namespace Ledger.Core.Restore;

/// <summary>
/// The on-disk record of a restore in progress (beside the repository's .git): enough for
/// <c>ledger restore --resume</c> to finish it after a crash. Written atomically after each step.
/// The plan is the restore's own <see cref="RestoreStarted"/> event; the rest is progress.
/// </summary>
public sealed record RestoreJournal(
    RestoreStarted Started,
    IReadOnlyList<string> DoneSteps,
    string? StashCommit = null,
    string? NewCommit = null,
    bool Validate = true,
    string? ChecksPath = null,
    string? Flake = null)
{
    [JsonIgnore]
    public string RestoreId => Started.RestoreId;

    [JsonIgnore]
    public string Host => Started.Host;

    [JsonIgnore]
    public string Repo => Started.Repo;

    [JsonIgnore]
    public long TargetSeq => Started.TargetSeq;

    [JsonIgnore]
    public string TargetCommit => Started.TargetCommit;

    [JsonIgnore]
    public string FromCommit => Started.FromCommit;

    [JsonIgnore]
    public string Via => Started.Via;

    [JsonIgnore]
    public string? Reason => Started.Reason;

    [JsonIgnore]
    public int? TargetGeneration => Started.TargetGeneration;

    public bool Done(string step) => DoneSteps.Contains(step);

    public RestoreJournal With(string step) => this with { DoneSteps = [.. DoneSteps, step] };

    /// <summary>
    /// Reads a journal as written by this version, or by versions before it that kept the plan's
    /// fields flat beside the progress (a restore interrupted before an upgrade still resumes).
    /// </summary>
    public static RestoreJournal? FromJson(string json)
    {
        if (JsonNode.Parse(json) is not JsonObject node)
        {
            return null;
        }

        if (node["started"] is null && node["restoreId"] is not null)
        {
            node["started"] = new JsonObject
            {
                ["host"] = node["host"]?.DeepClone(),
                ["actor"] = "",
                ["restoreId"] = node["restoreId"]?.DeepClone(),
                ["repo"] = node["repo"]?.DeepClone(),
                ["targetSeq"] = node["targetSeq"]?.DeepClone(),
                ["targetCommit"] = node["targetCommit"]?.DeepClone(),
                ["fromCommit"] = node["fromCommit"]?.DeepClone(),
                ["via"] = node["via"]?.DeepClone(),
                ["reason"] = node["reason"]?.DeepClone(),
                ["automatic"] = node["automatic"]?.DeepClone(),
                ["targetGeneration"] = node["targetGeneration"]?.DeepClone(),
            };
        }

        return node.Deserialize<RestoreJournal>(EventJson.Options);
    }
}
