using System.Net.Sockets;
using Ledger.Store;
using Npgsql;

namespace Ledger.IntegrationTests.Integrity;

/// <summary>The backoff policy of issue 7: which failures are retried, and how long it waits. No database needed.</summary>
public sealed class RetryPolicySpecs
{
    private static PostgresException Server(string sqlState) => new("message from the server", "ERROR", "ERROR", sqlState);

    [Theory]
    [InlineData(PostgresErrorCodes.SerializationFailure)]
    [InlineData(PostgresErrorCodes.DeadlockDetected)]
    [InlineData(PostgresErrorCodes.AdminShutdown)]
    [InlineData(PostgresErrorCodes.CrashShutdown)]
    [InlineData(PostgresErrorCodes.CannotConnectNow)]
    [InlineData(PostgresErrorCodes.ConnectionFailure)]
    public void Server_errors_that_go_away_on_their_own_are_transient(string sqlState)
    {
        DatabaseErrors.IsTransient(Server(sqlState)).ShouldBeTrue();
        DatabaseErrors.IsTransient(new InvalidOperationException("wrapped", Server(sqlState))).ShouldBeTrue();
    }

    [Theory]
    [InlineData(PostgresErrorCodes.DiskFull)]
    [InlineData(PostgresErrorCodes.UniqueViolation)]
    [InlineData(PostgresErrorCodes.InsufficientPrivilege)]
    [InlineData(PostgresErrorCodes.UndefinedTable)]
    [InlineData(PostgresErrorCodes.OutOfMemory)]
    public void Errors_that_a_retry_would_only_repeat_are_not_transient(string sqlState)
    {
        DatabaseErrors.IsTransient(Server(sqlState)).ShouldBeFalse();
    }

    [Fact]
    public void A_lost_connection_is_transient_and_a_plain_bug_is_not()
    {
        DatabaseErrors.IsTransient(new NpgsqlException("Exception while reading from stream", new EndOfStreamException())).ShouldBeTrue();
        DatabaseErrors.IsTransient(new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused))).ShouldBeTrue();
        DatabaseErrors.IsTransient(new StoreException("Cannot reach the database", inner: new NpgsqlException("x", new SocketException((int)SocketError.ConnectionRefused)))).ShouldBeTrue();
        DatabaseErrors.IsTransient(new InvalidOperationException("a bug")).ShouldBeFalse();
        DatabaseErrors.IsTransient(new OperationCanceledException()).ShouldBeFalse();
    }

    [Fact]
    public void A_read_from_a_socket_the_driver_already_closed_is_a_lost_connection()
    {
        // The CI failure of stop 33: PostgreSQL killed mid-append, and Npgsql's pending read found
        // its NetworkStream disposed. The import must retry that, not stop with "unexpected error".
        var disposed = new NpgsqlException("Exception while reading from stream", new ObjectDisposedException("System.Net.Sockets.NetworkStream"));
        DatabaseErrors.IsTransient(disposed).ShouldBeTrue();
        DatabaseErrors.IsConnectionLost(disposed).ShouldBeTrue();
        DatabaseErrors.IsUnreachable(disposed).ShouldBeTrue();

        // Something of ours used after disposal is a bug, not an outage.
        DatabaseErrors.IsTransient(new ObjectDisposedException(nameof(LedgerStore))).ShouldBeFalse();
        DatabaseErrors.IsConnectionLost(new InvalidOperationException("wrapped", new ObjectDisposedException("Ledger.Store.LedgerStore"))).ShouldBeFalse();
    }

    [Fact]
    public async Task A_null_reference_counts_as_a_lost_connection_only_when_the_driver_threw_it()
    {
        // The CI failure of stop 12: Npgsql threw a NullReferenceException from its connector when
        // the server was killed mid-statement. Thrown by a stand-in "driver" (this assembly) and
        // carried through an await, as Npgsql's is, it is recognised; thrown by anyone else it is a bug.
        var thrown = await Should.ThrowAsync<NullReferenceException>(ThrowDeepInsideAsync);
        DatabaseErrors.IsDriverFault(thrown, typeof(RetryPolicySpecs).Assembly).ShouldBeTrue();
        DatabaseErrors.IsDriverFault(thrown, typeof(NpgsqlConnection).Assembly).ShouldBeFalse();

        // Through the public predicates, with Npgsql as the driver: ours is not transient.
        DatabaseErrors.IsTransient(thrown).ShouldBeFalse();
        DatabaseErrors.IsConnectionLost(new InvalidOperationException("wrapped", thrown)).ShouldBeFalse();
    }

    private static async Task ThrowDeepInsideAsync()
    {
        await Task.Yield();
        string? missing = Environment.GetEnvironmentVariable("LEDGER_TEST_SURELY_UNSET_" + Guid.NewGuid().ToString("N"));
        _ = missing!.Length;
    }

    [Fact]
    public void Disk_full_is_recognised_through_wrappers()
    {
        DatabaseErrors.DiskFull(new InvalidOperationException("wrapped", Server(PostgresErrorCodes.DiskFull))).ShouldNotBeNull();
        DatabaseErrors.DiskFull(Server(PostgresErrorCodes.UniqueViolation)).ShouldBeNull();
    }

    [Fact]
    public void Five_attempts_over_thirty_seconds_wait_2_4_8_16_seconds_without_jitter()
    {
        var policy = RetryPolicy.FromSetting(null);

        policy.Attempts.ShouldBe(5);
        Enumerable.Range(2, 4).Select(a => policy.DelayBefore(a, 0).TotalSeconds).ShouldBe([2, 4, 8, 16]);
    }

    [Fact]
    public void Jitter_shortens_each_wait_by_at_most_half_so_the_total_stays_within_the_budget()
    {
        var policy = RetryPolicy.FromSetting("30");

        Enumerable.Range(2, 4).Select(a => policy.DelayBefore(a, 0.999999).TotalSeconds).ShouldBe([1, 2, 4, 8], tolerance: 0.01);
        Enumerable.Range(2, 4).Sum(a => policy.DelayBefore(a, 0.5).TotalSeconds).ShouldBe(22.5, tolerance: 0.01);
    }

    [Theory]
    [InlineData("0")]
    [InlineData(" 0 ")]
    public void Zero_seconds_turns_retries_off(string setting)
    {
        RetryPolicy.FromSetting(setting).Attempts.ShouldBe(1);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("ten")]
    [InlineData("1.5")]
    [InlineData("99999")]
    public void A_setting_that_is_not_whole_seconds_is_refused(string setting)
    {
        Should.Throw<StoreException>(() => RetryPolicy.FromSetting(setting)).Message.ShouldContain("LEDGER_DB_RETRY_SECONDS");
    }
}
