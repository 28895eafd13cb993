using System.Globalization;
using System.Text.Json;
using Ledger.Core.Validation;

namespace Ledger.Capture.Checks;

/// <summary>
/// Asks Prometheus for its active scrape targets (<c>/api/v1/targets?state=active</c>); every
/// one must be up. A Prometheus that does not answer is an error: nothing was checked.
/// </summary>
internal static class PrometheusTargetsRunner
{
    private const int MaxBodyBytes = 16 * 1024 * 1024;

    public static async Task<CheckOutcome> RunAsync(PrometheusTargetsCheck check, CancellationToken cancellationToken)
    {
        var api = new Uri(check.Url.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/api/v1/targets?state=active");
        using var client = LocalHttp.CreateClient();
        string body;
        try
        {
            using var response = await client.GetAsync(api, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            (body, var cut) = await LocalHttp.ReadBodyAsync(response, MaxBodyBytes, cancellationToken);
            if (!response.IsSuccessStatusCode || cut)
            {
                var problem = cut ? "answered with more than 16 MiB" : $"answered {LocalHttp.StatusText(response)}";
                return CheckOutcome.Error($"Prometheus at {check.Url} {problem}", [new Finding(api.ToString(), problem)], body);
            }
        }
        catch (HttpRequestException ex)
        {
            var reason = LocalHttp.Reason(ex);
            return CheckOutcome.Error($"Prometheus at {check.Url} is unreachable: {reason}", [new Finding(check.Url.ToString(), reason)]);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            var seconds = check.Timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
            return CheckOutcome.TimedOut(check.Timeout, [new Finding(check.Url.ToString(), $"Prometheus did not answer within {seconds}s")]);
        }

        List<Target> targets;
        try
        {
            targets = ReadTargets(body);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            return CheckOutcome.Error($"{api} did not answer with Prometheus's targets API: {ex.Message}", [], body);
        }

        var output = string.Join('\n', targets.Select(t => $"{t.Health,-7} {t.ScrapePool} {t.ScrapeUrl} {t.LastError}".TrimEnd()));
        if (targets.Count == 0)
        {
            return CheckOutcome.Fail(
                "Prometheus has no active targets",
                [new Finding(check.Url.ToString(), "no active scrape targets; is this the right Prometheus, and does its configuration load?")],
                output);
        }

        var notUp = targets.Where(t => t.Health != "up").ToList();
        if (notUp.Count == 0)
        {
            return CheckOutcome.Pass($"all {targets.Count} active targets are up", output);
        }

        var findings = notUp
            .Select(t => new Finding(t.ScrapeUrl, $"scrape pool \"{t.ScrapePool}\" is {t.Health}" + (t.LastError.Length == 0 ? "" : $": {t.LastError}")))
            .ToList();
        var named = string.Join(", ", notUp.Take(3).Select(t => $"{t.ScrapePool} ({t.ScrapeUrl})")) + (notUp.Count > 3 ? ", ..." : "");
        return CheckOutcome.Fail($"{notUp.Count} of {targets.Count} active targets are not up: {named}", findings, output);
    }

    private static List<Target> ReadTargets(string body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        if (root.GetProperty("status").GetString() != "success")
        {
            throw new InvalidOperationException($"status is {root.GetProperty("status").GetRawText()}");
        }

        return root.GetProperty("data").GetProperty("activeTargets").EnumerateArray()
            .Select(t => new Target(
                Text(t, "scrapePool"),
                Text(t, "scrapeUrl"),
                Text(t, "health"),
                Text(t, "lastError")))
            .ToList();
    }

    private static string Text(JsonElement target, string property) =>
        target.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    private sealed record Target(string ScrapePool, string ScrapeUrl, string Health, string LastError);
}
