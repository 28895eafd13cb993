using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using Ledger.Core.Events;
using Ledger.IntegrationTests.Support;
using Ledger.Store;
using Npgsql;

namespace Ledger.IntegrationTests.Integrity;

/// <summary>
/// Issue 7: the worst case for a retry, a COMMIT that the server carried out but whose answer never
/// came back. A proxy between the store and PostgreSQL forwards the first COMMIT, then cuts the
/// connection; the retry must find the events stored and not append them again.
/// </summary>
public sealed class AmbiguousCommitSpecs : IClassFixture<DatabaseFixture>
{
    private readonly DatabaseFixture _db;

    public AmbiguousCommitSpecs(DatabaseFixture db)
    {
        _db = db;
    }

    [Fact]
    public async Task A_batch_whose_commit_answer_was_lost_is_recorded_once_and_counted_as_recorded_issue_7()
    {
        var target = new NpgsqlConnectionStringBuilder(_db.ConnectionString);
        await using var proxy = new CommitCuttingProxy(target.Host!, target.Port);
        var viaProxy = new NpgsqlConnectionStringBuilder(_db.ConnectionString) { Host = "127.0.0.1", Port = proxy.Port, Pooling = true }.ConnectionString;
        var retries = new List<string>();
        await using var store = await LedgerStore.OpenAsync(viaProxy, new RetryPolicy(3, TimeSpan.FromSeconds(1)) { Report = retries.Add });
        var events = Enumerable.Range(1, 20)
            .Select(i => new NewEvent($"ambiguous:{i}", new ServiceRestarted("ambiguous-host", "root", $"unit{i}.service", "test", true)))
            .ToList();

        proxy.CutAfterNextCommit = true;
        var recorded = await store.StartStreamsAsync(events, batchSize: 20);

        proxy.Cuts.ShouldBe(1);
        (await _db.ScalarAsync("select count(*) from ledger.mt_events where stream_id like 'ambiguous:%'")).ShouldBe(20L);
        recorded.ShouldBe(20);
        retries.ShouldHaveSingleItem().ShouldContain("attempt 1/3");
    }

    [Fact]
    public async Task A_single_append_whose_commit_answer_was_lost_returns_the_stored_sequence_number_issue_7()
    {
        var target = new NpgsqlConnectionStringBuilder(_db.ConnectionString);
        await using var proxy = new CommitCuttingProxy(target.Host!, target.Port);
        var viaProxy = new NpgsqlConnectionStringBuilder(_db.ConnectionString) { Host = "127.0.0.1", Port = proxy.Port }.ConnectionString;
        await using var store = await LedgerStore.OpenAsync(viaProxy, new RetryPolicy(3, TimeSpan.FromSeconds(1)));

        proxy.CutAfterNextCommit = true;
        var seq = await store.AppendAsync(new NewEvent("ambiguous-single", new ServiceRestarted("ambiguous-host", "root", "one.service", "test", true)));

        proxy.Cuts.ShouldBe(1);
        (await _db.ScalarAsync("select count(*) from ledger.mt_events where stream_id = 'ambiguous-single'")).ShouldBe(1L);
        (await _db.ScalarAsync("select seq_id from ledger.mt_events where stream_id = 'ambiguous-single'")).ShouldBe(seq);
    }

    /// <summary>A TCP proxy (to a TCP or Unix-socket server) that, when armed, forwards a client's COMMIT to the server and then drops both sides.</summary>
    private sealed class CommitCuttingProxy : IAsyncDisposable
    {
        private static readonly byte[] Commit = Encoding.ASCII.GetBytes("COMMIT\0");
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly string _host;
        private readonly int _port;
        private int _cuts;

        public CommitCuttingProxy(string host, int port)
        {
            _host = host;
            _port = port;
            _listener.Start();
            _ = AcceptLoopAsync();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public volatile bool CutAfterNextCommit;

        public int Cuts => Volatile.Read(ref _cuts);

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            _stop.Dispose();
        }

        private async Task AcceptLoopAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }

                _ = PipeAsync(client);
            }
        }

        private async Task PipeAsync(TcpClient client)
        {
            // The test server listens on TCP (LEDGER_TEST_DB, Docker) or on a Unix socket (the embedded fallback).
            var unix = _host.StartsWith('/');
            using var socket = unix ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified) : new Socket(SocketType.Stream, ProtocolType.Tcp);
            using (client)
            {
                try
                {
                    await socket.ConnectAsync(unix ? new UnixDomainSocketEndPoint(Path.Combine(_host, $".s.PGSQL.{_port}")) : new DnsEndPoint(_host, _port), _stop.Token);
                    await using var server = new NetworkStream(socket, ownsSocket: false);
                    using var cut = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                    var answerLost = new StrongBox<bool>();
                    var up = CopyAsync(client.GetStream(), server, answerLost, watchForCommit: true, cut);
                    var down = CopyAsync(server, client.GetStream(), answerLost, watchForCommit: false, cut);
                    await Task.WhenAny(up, down);
                    await cut.CancelAsync();
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
                {
                }
            }
        }

        private async Task CopyAsync(NetworkStream from, NetworkStream to, StrongBox<bool> answerLost, bool watchForCommit, CancellationTokenSource cut)
        {
            var buffer = new byte[81920];
            try
            {
                int n;
                while ((n = await from.ReadAsync(buffer, cut.Token)) > 0)
                {
                    if (watchForCommit && CutAfterNextCommit && buffer.AsSpan(0, n).IndexOf(Commit) >= 0)
                    {
                        CutAfterNextCommit = false;
                        Interlocked.Increment(ref _cuts);
                        // From here on nothing reaches the client: the server carries the COMMIT out, its answer is lost.
                        Volatile.Write(ref answerLost.Value, true);
                        await to.WriteAsync(buffer.AsMemory(0, n), cut.Token);
                        await Task.Delay(300, cut.Token);
                        return;
                    }

                    if (Volatile.Read(ref answerLost.Value))
                    {
                        continue;
                    }

                    await to.WriteAsync(buffer.AsMemory(0, n), cut.Token);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
            {
            }
        }
    }
}
