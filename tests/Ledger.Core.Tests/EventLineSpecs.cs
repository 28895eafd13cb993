using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ledger.Core.Events;
using Ledger.Core.Timeline;

namespace Ledger.Core.Tests;

/// <summary>The timeline line of a snapshot or config edit read from its JSON is the line of the decoded event.</summary>
public sealed class EventLineSpecs
{
    private static readonly ContainerState Running = Samples.ContainerSnapshotTaken.Containers[0] with { State = "running" };

    public static TheoryData<string, ILedgerEvent> Snapshots() => new()
    {
        { "sample gpu", Samples.GpuSnapshotTaken },
        { "no gpu", Samples.GpuSnapshotTaken with { Gpus = [], Source = "nvidia-smi" } },
        { "sample containers", Samples.ContainerSnapshotTaken },
        { "no containers", Samples.ContainerSnapshotTaken with { Containers = [] } },
        { "one running of three", Samples.ContainerSnapshotTaken with { Containers = [Running, Running with { State = "exited" }, Running with { State = "Running" }] } },
        { "sample storage", Samples.StorageSnapshotTaken },
        { "one mount", Samples.StorageSnapshotTaken with { Mounts = [Samples.StorageSnapshotTaken.Mounts[0]] } },
        { "sample system", Samples.SystemSnapshotTaken },
        { "no generation, odd kernel", Samples.SystemSnapshotTaken with { Generation = null, Kernel = "6.1.0-\"rt\" ünï", Load1 = 12.345 } },
        { "unicode host", Samples.SystemSnapshotTaken with { Host = "höst-\u2603", Actor = "ledger-serve" } },
        { "sample edit", Samples.ConfigEdited },
        { "edit of no files", Samples.ConfigEdited with { Files = [], LinesAdded = 0, LinesRemoved = 0 } },
        { "edit of one file, short sha, odd purpose", Samples.ConfigEdited with { Files = [Samples.ConfigEdited.Files[0]], Sha = "abc", Purpose = "say \"files\": [1, 2] \u2603" } },
    };

    [Theory]
    [MemberData(nameof(Snapshots))]
    public void The_line_read_from_the_json_is_the_line_of_the_event(string name, ILedgerEvent e)
    {
        var alias = EventCatalogue.Describe(e.GetType()).Alias;
        var json = JsonSerializer.SerializeToUtf8Bytes(e, e.GetType(), EventJson.Options);

        foreach (var variant in new[] { json, Reordered(json) })
        {
            EventLine.TryRead(alias, variant, out var host, out var actor, out var title).ShouldBeTrue(name);
            host.ShouldBe(e.Host, name);
            actor.ShouldBe(e.Actor, name);
            title.ShouldBe(EventCatalogue.Title(e), name);
        }
    }

    [Fact]
    public void Other_types_and_payloads_it_does_not_expect_are_left_to_the_full_decoder()
    {
        var gpu = JsonSerializer.SerializeToUtf8Bytes(Samples.GpuSnapshotTaken, EventJson.Options);
        EventLine.TryRead("validation_run", JsonSerializer.SerializeToUtf8Bytes(Samples.ValidationRun, EventJson.Options), out _, out _, out _).ShouldBeFalse();
        EventLine.TryRead("config_edited", """{"host": "a", "actor": "b", "sha": "abc", "purpose": "x", "files": [], "linesAdded": 1.5, "linesRemoved": 0}"""u8, out _, out _, out _).ShouldBeFalse();
        EventLine.TryRead("gpu_snapshot_taken", gpu.AsSpan(0, gpu.Length - 3), out _, out _, out _).ShouldBeFalse();
        EventLine.TryRead("gpu_snapshot_taken", "[1, 2]"u8, out _, out _, out _).ShouldBeFalse();
        EventLine.TryRead("gpu_snapshot_taken", """{"host": "a", "actor": "b", "gpus": []}"""u8, out _, out _, out _).ShouldBeFalse(); // no source
        EventLine.TryRead("container_snapshot_taken", """{"host": "a", "actor": "b", "containers": null}"""u8, out _, out _, out _).ShouldBeFalse();
        EventLine.TryRead("system_snapshot_taken", """{"host": "a", "actor": "b", "kernel": "6.1", "load1": "high"}"""u8, out _, out _, out _).ShouldBeFalse();
        EventLine.TryRead("storage_snapshot_taken", """{"actor": "b", "mounts": []}"""u8, out _, out _, out _).ShouldBeFalse(); // no host
    }

    [Fact]
    public void Properties_it_does_not_know_are_skipped_whatever_they_hold()
    {
        var json = """{"extra": {"containers": [{"state": "running"}]}, "host": "a", "more": [[1], {"x": null}], "actor": "b", "runtime": "podman", "containers": [{"state": "running", "ports": ["80/tcp"]}, {"labels": {"state": "running"}, "state": "exited"}]}"""u8;

        EventLine.TryRead("container_snapshot_taken", json, out var host, out var actor, out var title).ShouldBeTrue();

        (host, actor, title).ShouldBe(("a", "b", "2 containers, 1 running"));
    }

    /// <summary>The same object with its properties in reverse order at every level (PostgreSQL's jsonb reorders keys).</summary>
    private static byte[] Reordered(byte[] json)
    {
        static JsonNode? Reverse(JsonNode? node) => node switch
        {
            JsonObject o => new JsonObject(o.Reverse().Select(p => KeyValuePair.Create(p.Key, Reverse(p.Value?.DeepClone())))),
            JsonArray a => new JsonArray(a.Select(x => Reverse(x?.DeepClone())).ToArray()),
            _ => node?.DeepClone(),
        };

        return Encoding.UTF8.GetBytes(Reverse(JsonNode.Parse(json))!.ToJsonString());
    }
}
