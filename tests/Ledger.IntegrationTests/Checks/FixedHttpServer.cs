using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Ledger.IntegrationTests.Checks;

/// <summary>
/// A real HTTP/1.1 server on 127.0.0.1 that answers each path with a fixed response, or never
/// answers at all (the response is <c>null</c>): what a hung dashboard looks like from outside.
/// </summary>
internal sealed class FixedHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<string, string?> _respond;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public FixedHttpServer(Func<string, string?> respond)
    {
        _respond = respond;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _loop = AcceptAsync();
    }

    public int Port { get; }

    public Uri Url(string path) => new($"http://127.0.0.1:{Port}{path}");

    public static string Response(int status, string reason, string body, string contentType = "text/plain; charset=utf-8")
    {
        var bytes = Encoding.UTF8.GetByteCount(body);
        return $"HTTP/1.1 {status} {reason}\r\nContent-Type: {contentType}\r\nContent-Length: {bytes}\r\nConnection: close\r\n\r\n{body}";
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var head = new StringBuilder();
                var buffer = new byte[4096];
                while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var read = await stream.ReadAsync(buffer, _stop.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    head.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }

                var path = head.ToString().Split(' ')[1];
                var response = _respond(path);
                if (response is null)
                {
                    // Keep the connection open and say nothing until the server stops.
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                    return;
                }

                await stream.WriteAsync(Encoding.UTF8.GetBytes(response), _stop.Token);
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException)
            {
            }
        }
    }
}
