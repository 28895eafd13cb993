using System.Net;
using System.Net.Sockets;

namespace Ledger.IntegrationTests.Serve;

/// <summary>The tests' fake HTTP server itself: its disposal must not fail the test that used it.</summary>
public sealed class RecordingHttpServerSpecs
{
    [Fact]
    public async Task A_server_disposed_after_its_port_was_taken_by_another_listener_does_not_fail()
    {
        // Arrange: the server stops listening and someone else binds its port, as a parallel
        // test may between a stop and a close (a CI run failed with "Address already in use").
        var server = new RecordingHttpServer();
        server.StopListening();
        var squatter = new TcpListener(IPAddress.Loopback, server.Port);
        squatter.Start();

        try
        {
            // Act and assert
            await Should.NotThrowAsync(async () => await server.DisposeAsync());
        }
        finally
        {
            squatter.Stop();
        }
    }
}
