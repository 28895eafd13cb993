using System.Text.Json;
using Ledger.IntegrationTests.Support;
using Ledger.Store;

namespace Ledger.IntegrationTests.Output;

/// <summary>
/// A command line that does not parse is told what was wrong in words a user can act on, with a
/// documented exit code (2): the nearest commands, a group's commands, the kind of value expected.
/// </summary>
public sealed class UsageSpecs : IDisposable
{
    private readonly TempDirectory _home = new();

    public void Dispose() => _home.Dispose();

    [Theory]
    [InlineData("timelin", "did you mean 'ledger timeline'?")]
    [InlineData("verfy", "did you mean 'ledger verify'?")]
    [InlineData("db stat", "did you mean 'ledger db start' or 'ledger db status'?")]
    public async Task A_mistyped_command_names_the_nearest_ones(string typed, string expected)
    {
        // Act
        var run = await new CliRun(null, _home.Path).RunAsync(typed.Split(' '));

        // Assert
        run.ExitCode.ShouldBe(2);
        run.Err.ShouldContain(expected);
        run.Err.ShouldNotContain("Required command was not provided");
        run.Err.ShouldNotContain("Unrecognized command");
    }

    [Fact]
    public async Task A_command_nothing_is_near_is_named_without_a_guess()
    {
        var run = await new CliRun(null, _home.Path).RunAsync("xyzzy");

        run.ExitCode.ShouldBe(2);
        run.Err.ShouldContain("'xyzzy' is not a command of 'ledger'.");
        run.Err.ShouldNotContain("did you mean");
    }

    [Fact]
    public async Task A_group_without_its_command_lists_its_commands()
    {
        // Act
        var run = await new CliRun(null, _home.Path).RunAsync("db");

        // Assert
        run.ExitCode.ShouldBe(2);
        run.Err.ShouldContain("'ledger db' needs one of its commands:");
        foreach (var command in new[] { "status", "start", "stop", "url" })
        {
            run.Err.ShouldContain($"\n  {command} ");
        }
    }

    [Theory]
    [InlineData("show abc", "'abc' is not a whole number, as the argument of 'show' must be.")]
    [InlineData("timeline --limit many", "'many' is not a whole number, as --limit must be.")]
    public async Task A_value_of_the_wrong_kind_names_the_kind_in_words(string line, string expected)
    {
        var run = await new CliRun(null, _home.Path).RunAsync(line.Split(' '));

        run.ExitCode.ShouldBe(2);
        run.Err.ShouldContain(expected);
        run.Err.ShouldNotContain("System.");
    }

    [Fact]
    public async Task Db_status_takes_json_as_every_listing_does()
    {
        // Arrange
        var server = await TestPostgres.ServerConnectionStringAsync();
        await using var db = await ScratchDatabase.CreateAsync(server, "usage");

        // Act
        var run = await new CliRun(db.ConnectionString, _home.Path).RunAsync("db", "status", "--json");

        // Assert
        run.ExitCode.ShouldBe(0, run.Err);
        using var json = JsonDocument.Parse(run.Out);
        json.RootElement.GetProperty("source").GetString().ShouldBe("connection-string");
        json.RootElement.GetProperty("state").GetString().ShouldBe("reachable");
        json.RootElement.GetProperty("events").GetInt64().ShouldBe(0);
        json.RootElement.GetProperty("textIndexBacklog").GetInt64().ShouldBe(0);
    }
}
