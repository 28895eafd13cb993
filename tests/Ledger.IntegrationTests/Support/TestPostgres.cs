using DotNet.Testcontainers.Builders;
using Ledger.Capture.Processes;
using Ledger.Store.Embedded;
using Testcontainers.PostgreSql;

namespace Ledger.IntegrationTests.Support;

/// <summary>
/// One PostgreSQL server for the whole test run: $LEDGER_TEST_DB, else a Testcontainers
/// container when a Docker engine answers, else the embedded launcher in a temporary folder.
/// </summary>
public static class TestPostgres
{
    private static readonly Lazy<Task<string>> Server = new(StartAsync);

    /// <summary>A connection string to the server (database "postgres") whose role can create databases.</summary>
    public static Task<string> ServerConnectionStringAsync() => Server.Value;

    /// <summary>Which of the three sources is in use, for test output.</summary>
    public static string Source { get; private set; } = "not started";

    private static async Task<string> StartAsync()
    {
        var given = Environment.GetEnvironmentVariable("LEDGER_TEST_DB");
        if (!string.IsNullOrWhiteSpace(given))
        {
            Source = "LEDGER_TEST_DB";
            return given;
        }

        if (Environment.GetEnvironmentVariable("LEDGER_TEST_NO_DOCKER") is null)
        {
            try
            {
                var container = new PostgreSqlBuilder("postgres:15-alpine").Build();
                await container.StartAsync();
                AppDomain.CurrentDomain.ProcessExit += (_, _) => container.DisposeAsync().AsTask().GetAwaiter().GetResult();
                Source = "Testcontainers";
                return container.GetConnectionString();
            }
            catch (Exception e) when (e is DockerUnavailableException or TimeoutException or InvalidOperationException or HttpRequestException)
            {
                // No Docker engine on this machine: fall through to the embedded launcher.
            }
        }

        var home = Path.Combine(Path.GetTempPath(), $"ledger-tests-{Environment.ProcessId}");
        var embedded = new EmbeddedPostgres(home, ProgramRunner.Default);
        await embedded.StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            embedded.StopAsync().GetAwaiter().GetResult();
            try
            {
                Directory.Delete(home, recursive: true);
            }
            catch (IOException)
            {
            }
        };
        Source = "embedded";
        return embedded.ConnectionString("postgres");
    }
}
