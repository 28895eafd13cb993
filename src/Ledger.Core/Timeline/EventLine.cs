using System.Text.Json;
using Ledger.Core.Events;

namespace Ledger.Core.Timeline;

/// <summary>
/// The timeline line (host, actor, title) of the events that fill most pages, read in one pass
/// over the stored JSON without building the event: snapshots (most of a host's timeline, and
/// the largest payloads: a container snapshot lists every container) and config edits (their
/// patches). A page shows only this line; the event itself is decoded when a row is opened.
/// Anything unexpected (a property missing or of another type, broken JSON) returns false, and
/// the caller decodes the event as usual.
/// </summary>
public static class EventLine
{
    public static bool TryRead(string alias, ReadOnlySpan<byte> json, out string host, out string actor, out string title)
    {
        host = actor = title = "";
        var list = alias switch
        {
            "gpu_snapshot_taken" => "gpus",
            "container_snapshot_taken" => "containers",
            "storage_snapshot_taken" => "mounts",
            "config_edited" => "files",
            "system_snapshot_taken" => null,
            _ => "",
        };
        if (list == "")
        {
            return false;
        }

        try
        {
            var r = new Utf8JsonReader(json);
            if (!r.Read() || r.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            string? h = null, a = null, source = null, kernel = null, sha = null, purpose = null;
            double? load1 = null;
            int? generation = null, items = null, added = null, removed = null;
            int running = 0;
            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                if (r.ValueTextEquals("host"u8))
                {
                    h = ReadString(ref r);
                }
                else if (r.ValueTextEquals("actor"u8))
                {
                    a = ReadString(ref r);
                }
                else if (list is not null && r.ValueTextEquals(list))
                {
                    items = CountItems(ref r, list == "containers", ref running);
                    if (items is null)
                    {
                        return false;
                    }
                }
                else if (list == "gpus" && r.ValueTextEquals("source"u8))
                {
                    source = ReadString(ref r);
                }
                else if (list == "files" && r.ValueTextEquals("sha"u8))
                {
                    sha = ReadString(ref r);
                }
                else if (list == "files" && r.ValueTextEquals("purpose"u8))
                {
                    purpose = ReadString(ref r);
                }
                else if (list == "files" && r.ValueTextEquals("linesAdded"u8))
                {
                    added = ReadInt(ref r);
                }
                else if (list == "files" && r.ValueTextEquals("linesRemoved"u8))
                {
                    removed = ReadInt(ref r);
                }
                else if (list == "files" && r.ValueTextEquals("flakeInputs"u8))
                {
                    // The title names the inputs that moved: the event is decoded for them (a few commits in a hundred).
                    return false;
                }
                else if (list is null && r.ValueTextEquals("kernel"u8))
                {
                    kernel = ReadString(ref r);
                }
                else if (list is null && r.ValueTextEquals("load1"u8))
                {
                    r.Read();
                    if (r.TokenType != JsonTokenType.Number)
                    {
                        return false;
                    }

                    load1 = r.GetDouble();
                }
                else if (list is null && r.ValueTextEquals("generation"u8))
                {
                    r.Read();
                    if (r.TokenType == JsonTokenType.Number)
                    {
                        generation = r.GetInt32();
                    }
                    else if (r.TokenType != JsonTokenType.Null)
                    {
                        return false;
                    }
                }
                else
                {
                    r.Skip();
                }
            }

            if (h is null || a is null)
            {
                return false;
            }

            string? line = list switch
            {
                "gpus" when items is { } n && source is not null => EventCatalogue.GpuSnapshotTitle(n, source),
                "containers" when items is { } n => EventCatalogue.ContainerSnapshotTitle(n, running),
                "mounts" when items is { } n => EventCatalogue.StorageSnapshotTitle(n),
                "files" when items is { } n && sha is not null && purpose is not null && added is { } plus && removed is { } minus =>
                    EventCatalogue.ConfigEditTitle(sha, purpose, n, plus, minus),
                null when kernel is not null && load1 is { } l => EventCatalogue.SystemSnapshotTitle(kernel, l, generation),
                _ => null,
            };
            if (line is null)
            {
                return false;
            }

            (host, actor, title) = (h, a, line);
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return false;
        }
    }

    /// <summary>The next value as a string, or null when it is not one.</summary>
    private static string? ReadString(ref Utf8JsonReader r)
    {
        r.Read();
        return r.TokenType == JsonTokenType.String ? r.GetString() : null;
    }

    /// <summary>The next value as a whole number, or null when it is not one.</summary>
    private static int? ReadInt(ref Utf8JsonReader r)
    {
        r.Read();
        return r.TokenType == JsonTokenType.Number && r.TryGetInt32(out var n) ? n : null;
    }

    /// <summary>How many items the array value holds (null when it is not an array); for containers also how many are running.</summary>
    private static int? CountItems(ref Utf8JsonReader r, bool containers, ref int running)
    {
        r.Read();
        if (r.TokenType != JsonTokenType.StartArray)
        {
            return null;
        }

        int n = 0;
        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
        {
            n++;
            if (!containers || r.TokenType != JsonTokenType.StartObject)
            {
                r.Skip();
                continue;
            }

            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                if (r.ValueTextEquals("state"u8))
                {
                    r.Read();
                    if (r.TokenType == JsonTokenType.String && r.ValueTextEquals("running"u8))
                    {
                        running++;
                    }
                }
                else
                {
                    r.Skip();
                }
            }
        }

        return n;
    }
}
