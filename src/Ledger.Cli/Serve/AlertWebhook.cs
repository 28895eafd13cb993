using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Ledger.App.Alerts;
using Ledger.Core.Alerts;
using Ledger.Core.Text;
using Ledger.Store;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Ledger.Cli.Serve;

/// <summary>
/// <c>POST /alertmanager</c>: Alertmanager's webhook (payload version 4). In this order: the
/// bearer token (401), the body size (413), then <see cref="AlertRecorder"/>: the whole body
/// checked (400 with the reason), the alerts appended in one transaction, and only then 200 with
/// how many were new and how many repeats. A database that cannot be reached gets 503, any other
/// error 500; Alertmanager retries both.
/// </summary>
internal static class AlertWebhook
{
    public const string Path = "/alertmanager";

    /// <summary>Counted under <c>code="499"</c> in <c>ledger_webhook_requests_total</c>: the client went away before it was answered.</summary>
    public const int ClientClosedRequest = 499;

    public static async Task HandleAsync(HttpContext http, ServeContext serve)
    {
        // Every request is counted, whatever happened to it: an error that escaped the answer
        // below counts as the 500 it gets, so a failing webhook shows in the metrics.
        var status = StatusCodes.Status500InternalServerError;
        try
        {
            status = await AnswerAsync(http, serve);
        }
        catch (Exception) when (http.RequestAborted.IsCancellationRequested)
        {
            status = ClientClosedRequest;
            throw;
        }
        catch (Exception e)
        {
            serve.Log.ForContext("Endpoint", Path).Error(e, "Webhook: unexpected error");
            if (!http.Response.HasStarted)
            {
                await TextAsync(http, StatusCodes.Status500InternalServerError, "Unexpected error (the daemon's log has the details). An alert is recorded at most once, so Alertmanager's retry is safe.");
            }
        }
        finally
        {
            serve.Metrics.WebhookRequests.WithLabels(status.ToString(CultureInfo.InvariantCulture)).Inc();
        }
    }

    private static async Task<int> AnswerAsync(HttpContext http, ServeContext serve)
    {
        var log = serve.Log.ForContext("Endpoint", Path);
        if (serve.WebhookToken is { } token && !HasToken(http.Request, token))
        {
            log.Warning("Webhook from {Remote}: refused, no valid bearer token", http.Connection.RemoteIpAddress);
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return await TextAsync(http, StatusCodes.Status401Unauthorized, "A bearer token is required (Authorization: Bearer TOKEN; Alertmanager: http_config.authorization.credentials).");
        }

        var limit = serve.Settings.MaxBodyBytes;
        var body = await ReadBodyAsync(http, limit);
        if (body is null)
        {
            log.Warning("Webhook from {Remote}: refused, body over {Limit} bytes", http.Connection.RemoteIpAddress, limit);
            return await TextAsync(http, StatusCodes.Status413PayloadTooLarge, $"The body is larger than {limit} bytes (maxBodyBytes in serve.json).");
        }

        AlertsRecorded result;
        try
        {
            // Not cancelled by the client or by a stop: once the append starts it finishes, and the
            // answer below is only sent after it committed.
            result = await AlertRecorder.RecordAsync(serve.Store, serve.Spool, body.Value, serve.Host, ServeContext.Actor, CancellationToken.None);
        }
        catch (AlertPayloadException e)
        {
            log.Warning("Webhook from {Remote}: refused, {Reason}", http.Connection.RemoteIpAddress, e.Message);
            return await TextAsync(http, StatusCodes.Status400BadRequest, e.Message + " Nothing was recorded.");
        }
        catch (StoreException e)
        {
            log.Error("Webhook: the database is unavailable, nothing recorded: {Message}", e.Message);
            return await TextAsync(http, StatusCodes.Status503ServiceUnavailable, "The database is unavailable; nothing was recorded. Alertmanager will retry.");
        }

        var (recorded, duplicates) = (result.Recorded, result.Duplicates);
        serve.Metrics.WebhookAlerts.WithLabels("recorded").Inc(recorded);
        serve.Metrics.WebhookAlerts.WithLabels("duplicate").Inc(duplicates);
        serve.Metrics.WebhookAlerts.WithLabels("spooled").Inc(result.Spooled);
        if (result.Spooled > 0)
        {
            // Kept durably: Alertmanager need not retry, and the spool schedule records them once the database answers.
            log.Warning("Webhook: {Spooled} alert events kept in the spool ({Alerts}): {Why}", result.Spooled, result.Alerts, result.SpooledWhy);
        }
        else if (recorded > 0)
        {
            log.Information("Webhook: {Recorded} alert events recorded, {Duplicates} repeats ({Alerts})", recorded, duplicates, result.Alerts);
        }
        else
        {
            log.Debug("Webhook: {Duplicates} repeats, nothing new", duplicates);
        }

        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "application/json";
        // "spooled" only when the database was away: the usual answer stays as it was.
        var spooled = result.Spooled > 0 ? $", \"spooled\": {result.Spooled}" : "";
        await http.Response.WriteAsync($$"""{"recorded": {{recorded}}, "duplicates": {{duplicates}}{{spooled}}}""" + "\n");
        return StatusCodes.Status200OK;
    }

    private static bool HasToken(HttpRequest request, string token)
    {
        var header = request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var given = Encoding.UTF8.GetBytes(header[Scheme.Length..].Trim());
        return CryptographicOperations.FixedTimeEquals(given, Encoding.UTF8.GetBytes(token));
    }

    /// <summary>The body, or null when it is longer than <paramref name="limit"/> (declared or sent).</summary>
    private static async Task<ReadOnlyMemory<byte>?> ReadBodyAsync(HttpContext http, long limit)
    {
        if (http.Request.ContentLength > limit)
        {
            return null;
        }

        // Kestrel stops reading past the limit too, for chunked bodies without a length.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }

        return new ReadOnlyMemory<byte>(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static async Task<int> TextAsync(HttpContext http, int status, string message)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/plain; charset=utf-8";
        // Reasons can quote the payload (a label's name): made inert for whoever reads the answer with curl.
        await http.Response.WriteAsync(TerminalText.EscapeLine(message) + "\n");
        return status;
    }
}
