using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Ledger.IntegrationTests.Checks;

namespace Ledger.IntegrationTests.Serve;

/// <summary>One request as a fake server received it.</summary>
internal sealed record RecordedRequest(string Method, string Path, string? Authorization, string Body);

/// <summary>
/// A tiny HTTP server on loopback that records every request and answers each with the status
/// and body <see cref="Respond"/> gives (default 200 with Grafana's "Annotation added").
/// </summary>
internal sealed class RecordingHttpServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public RecordingHttpServer()
    {
        Port = FreePort.Next();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    /// <summary>Stops listening without closing, as a test's server may be before it is disposed.</summary>
    public void StopListening() => _listener.Stop();

    public Uri Url => new($"http://127.0.0.1:{Port}");

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public Func<RecordedRequest, (int Status, string Body)> Respond { get; set; } = _ => (200, """{"id": 1, "message": "Annotation added"}""");

    public async ValueTask DisposeAsync()
    {
        // Close alone, not Stop then Close: on Linux a stopped HttpListener that is closed looks its
        // port up again and binds it anew, and fails with "Address already in use" when another
        // test has taken that port meanwhile (a CI run failed so).
        try
        {
            _listener.Close();
        }
        catch (HttpListenerException)
        {
        }

        try
        {
            await _loop;
        }
        catch (HttpListenerException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var request = new RecordedRequest(context.Request.HttpMethod, context.Request.Url!.AbsolutePath, context.Request.Headers["Authorization"], await reader.ReadToEndAsync());
            Requests.Enqueue(request);
            var (status, body) = Respond(request);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            var bytes = Encoding.UTF8.GetBytes(body);
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }
}
