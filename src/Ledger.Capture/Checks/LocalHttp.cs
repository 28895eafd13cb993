using System.Net.Sockets;
using System.Text;

namespace Ledger.Capture.Checks;

/// <summary>HTTP for checks of services on this host.</summary>
internal static class LocalHttp
{
    /// <summary>
    /// A client that talks to the service directly: an http_proxy in the environment would
    /// otherwise answer for 127.0.0.1. Timeouts come from the check's cancellation token.
    /// </summary>
    public static HttpClient CreateClient() =>
        new(new SocketsHttpHandler { UseProxy = false }, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>The body as text, at most <paramref name="maxBytes"/> of it.</summary>
    public static async Task<(string Text, bool Cut)> ReadBodyAsync(HttpResponseMessage response, int maxBytes, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[maxBytes];
        var length = 0;
        int read;
        while (length < maxBytes && (read = await stream.ReadAsync(buffer.AsMemory(length, maxBytes - length), cancellationToken)) > 0)
        {
            length += read;
        }

        var cut = length == maxBytes && await stream.ReadAsync(new byte[1], cancellationToken) > 0;
        return (Encoding.UTF8.GetString(buffer, 0, length), cut);
    }

    /// <summary>Why a request failed, in words: "Connection refused (127.0.0.1:9)".</summary>
    public static string Reason(HttpRequestException exception)
    {
        var socket = exception.InnerException as SocketException;
        return socket is null || exception.Message.Contains(socket.Message, StringComparison.Ordinal)
            ? exception.Message
            : $"{exception.Message} ({socket.Message})";
    }

    public static string StatusText(HttpResponseMessage response) =>
        $"{(int)response.StatusCode} {response.ReasonPhrase ?? (Enum.IsDefined(response.StatusCode) ? response.StatusCode.ToString() : "")}".TrimEnd();
}
