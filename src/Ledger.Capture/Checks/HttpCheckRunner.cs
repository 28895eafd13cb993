using System.Globalization;
using Ledger.Core.Validation;

namespace Ledger.Capture.Checks;

/// <summary>GETs a URL: the status must be the expected one and the body must contain the expected text.</summary>
internal static class HttpCheckRunner
{
    private const int MaxBodyBytes = 1024 * 1024;

    public static async Task<CheckOutcome> RunAsync(HttpCheck check, CancellationToken cancellationToken)
    {
        var url = check.Url.ToString();
        using var client = LocalHttp.CreateClient();
        try
        {
            using var response = await client.GetAsync(check.Url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var (body, cut) = await LocalHttp.ReadBodyAsync(response, MaxBodyBytes, cancellationToken);
            var status = LocalHttp.StatusText(response);
            var output = $"HTTP {status}\n\n{body}";

            var findings = new List<Finding>();
            if ((int)response.StatusCode != check.ExpectStatus)
            {
                findings.Add(new Finding(url, $"answered {status}, expected {check.ExpectStatus}"));
            }

            if (check.Contains is not null && !body.Contains(check.Contains, StringComparison.Ordinal))
            {
                var where = cut ? $"the first {MaxBodyBytes / 1024} KiB of the response" : "the response";
                findings.Add(new Finding(url, $"{where} does not contain \"{check.Contains}\""));
            }

            return findings.Count == 0
                ? CheckOutcome.Pass($"GET {url} answered {status}", output)
                : CheckOutcome.Fail($"GET {url}: {string.Join("; ", findings.Select(f => f.Message))}", findings, output);
        }
        catch (HttpRequestException ex)
        {
            // Nothing listening, a reset or a bad certificate: the service is not serving.
            var reason = LocalHttp.Reason(ex);
            return CheckOutcome.Fail($"GET {url} failed: {reason}", [new Finding(url, reason)]);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            var seconds = check.Timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
            return CheckOutcome.TimedOut(check.Timeout, [new Finding(url, $"no complete answer within {seconds}s; the request was abandoned")]);
        }
    }
}
