using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ledger.Core.Errors;
using Ledger.Core.Events;
using Ledger.Core.Timeline;
using Ledger.Store;

namespace Ledger.App.Daemon;

/// <summary>
/// Posts the host's finished deploys and completed restores to Grafana as region annotations
/// (<c>POST /api/annotations</c>, from start to end, tagged <c>ledger</c>, <c>host:H</c>,
/// <c>kind:deploy|restore</c> and <c>commit:SHA</c>). The last event posted is kept in
/// <c>$LEDGER_HOME/grafana-annotations.json</c>, so a restart goes on where it stopped; the very
/// first run starts after the newest event instead of posting the whole history. An event whose
/// post failed is tried again next run (at least once: a crash between a post and saving the
/// position can post one twice).
/// </summary>
internal sealed class GrafanaAnnotations(GrafanaSettings grafana, LedgerStore store, string host, string home, HttpClient http)
{
    private static readonly string[] Types = ["deploy_finished", "restore_completed"];

    private string StatePath => Path.Combine(home, "grafana-annotations.json");

    /// <summary>Posts what is new since the last run; returns a line for the log, or null when nothing was new.</summary>
    public async Task<string?> RunAsync(CancellationToken ct)
    {
        var last = ReadPosition();
        if (last is null)
        {
            var newest = await store.Stats.MaxSeqAsync(ct);
            SavePosition(newest);
            return $"annotating deploys and restores recorded after #{newest}";
        }

        var events = await store.Stats.EventsAfterAsync(host, Types, last.Value, 100, ct);
        if (events.Count == 0)
        {
            return null;
        }

        var token = ReadToken();
        foreach (var e in events)
        {
            await PostAsync(e, token, ct);
            SavePosition(e.Seq);
        }

        return $"posted {events.Count} annotation{(events.Count == 1 ? "" : "s")} to {grafana.Url}";
    }

    /// <summary>The annotation of a deploy or restore: a region from its start to its end.</summary>
    public static JsonObject Annotation(TimelineEntry e, string? dashboardUid)
    {
        var (kind, commit, durationMs) = e.Data switch
        {
            DeployFinished d => ("deploy", d.Commit, d.DurationMs),
            RestoreCompleted r => ("restore", r.NewCommit, r.DurationMs),
            _ => throw new ArgumentException($"#{e.Seq} is not a deploy or restore.", nameof(e)),
        };
        var end = e.Timestamp.ToUnixTimeMilliseconds();
        var body = new JsonObject
        {
            ["time"] = end - Math.Max(0, durationMs),
            ["timeEnd"] = end,
            ["tags"] = new JsonArray("ledger", $"host:{e.Host}", $"kind:{kind}", $"commit:{EventCatalogue.ShortSha(commit)}"),
            ["text"] = $"{e.Title} (ledger #{e.Seq}, by {e.Actor})",
        };
        if (dashboardUid is not null)
        {
            body["dashboardUID"] = dashboardUid;
        }

        return body;
    }

    private async Task PostAsync(TimelineEntry e, string token, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(grafana.Url, "api/annotations"))
        {
            Content = JsonContent.Create(Annotation(e, grafana.DashboardUid)),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            throw new LedgerException(
                $"Grafana answered {(int)response.StatusCode} {response.ReasonPhrase} to the annotation of #{e.Seq}: {text.Trim()[..Math.Min(200, text.Trim().Length)]}" +
                " (check grafana.url, and that the token's service account may write annotations); it is tried again next run.");
        }
    }

    private string ReadToken()
    {
        try
        {
            // Read on every run, so a rotated token needs no restart.
            var token = File.ReadAllText(grafana.TokenFile).Trim();
            return token.Length > 0 ? token : throw new LedgerException($"grafana.tokenFile {grafana.TokenFile} is empty.");
        }
        catch (Exception x) when (x is IOException or UnauthorizedAccessException)
        {
            throw new LedgerException($"Cannot read grafana.tokenFile {grafana.TokenFile}: {x.Message}");
        }
    }

    private long? ReadPosition()
    {
        if (!File.Exists(StatePath))
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(StatePath));
            return doc.RootElement.GetProperty("lastSeq").GetInt64();
        }
        catch (Exception x) when (x is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new LedgerException($"{StatePath} is damaged ({x.Message}); delete it to start again after the newest event.");
        }
    }

    private void SavePosition(long seq)
    {
        var temp = StatePath + ".tmp";
        File.WriteAllText(temp, $$"""{"lastSeq": {{seq}}}""" + "\n");
        File.Move(temp, StatePath, overwrite: true);
    }
}
