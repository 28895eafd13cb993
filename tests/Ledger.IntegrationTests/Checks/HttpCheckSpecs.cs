using Ledger.Capture.Checks;
using Ledger.Core.Events;
using Ledger.Core.Validation;

namespace Ledger.IntegrationTests.Checks;

public sealed class HttpCheckSpecs : IAsyncLifetime
{
    private const string Health = """
        {
          "commit": "03f502a94d",
          "database": "ok",
          "version": "10.4.2"
        }
        """;

    private FixedHttpServer _server = null!;

    public Task InitializeAsync()
    {
        _server = new FixedHttpServer(path => path switch
        {
            "/api/health" => FixedHttpServer.Response(200, "OK", Health, "application/json; charset=UTF-8"),
            "/broken" => FixedHttpServer.Response(500, "Internal Server Error", "Traceback: password=hunter2"),
            "/maintenance" => FixedHttpServer.Response(503, "Service Unavailable", "down for maintenance"),
            "/hang" => null,
            _ => FixedHttpServer.Response(404, "Not Found", "404 page not found"),
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_200_answer_containing_the_text_passes()
    {
        // Act
        var outcome = await new CheckRunner().RunAsync(Check("/api/health", contains: "\"database\": \"ok\""));

        // Assert
        outcome.Status.ShouldBe(ValidationStatus.Pass);
        outcome.Summary.ShouldBe($"GET {_server.Url("/api/health")} answered 200 OK");
        outcome.Findings.ShouldBeEmpty();
        outcome.Output.ShouldBe("HTTP 200 OK\n\n" + Health);
    }

    [Fact]
    public async Task A_500_answer_fails_naming_the_status_and_the_url()
    {
        // Act
        var outcome = await new CheckRunner().RunAsync(Check("/broken"));

        // Assert
        outcome.Status.ShouldBe(ValidationStatus.Fail);
        var finding = outcome.Findings.ShouldHaveSingleItem();
        finding.Subject.ShouldBe(_server.Url("/broken").ToString());
        finding.Message.ShouldBe("answered 500 Internal Server Error, expected 200");
        outcome.Output.ShouldNotBeNull().ShouldStartWith("HTTP 500 Internal Server Error");
        outcome.Output.ShouldNotContain("hunter2");
    }

    [Fact]
    public async Task An_expected_status_other_than_200_passes_when_answered()
    {
        // Act
        var outcome = await new CheckRunner().RunAsync(Check("/maintenance") with { ExpectStatus = 503 });

        // Assert
        outcome.Status.ShouldBe(ValidationStatus.Pass);
    }

    [Fact]
    public async Task An_answer_without_the_expected_text_fails()
    {
        // Act
        var outcome = await new CheckRunner().RunAsync(Check("/api/health", contains: "\"database\": \"failing\""));

        // Assert
        outcome.Status.ShouldBe(ValidationStatus.Fail);
        outcome.Findings.ShouldHaveSingleItem().Message.ShouldBe("the response does not contain \"\"database\": \"failing\"\"");
    }

    [Fact]
    public async Task A_refused_connection_fails_naming_the_url_and_the_reason()
    {
        // Arrange
        var url = new Uri($"http://127.0.0.1:{FreePort.Next()}/");

        // Act
        var outcome = await new CheckRunner().RunAsync(Check("/") with { Url = url });

        // Assert
        outcome.Status.ShouldBe(ValidationStatus.Fail);
        var finding = outcome.Findings.ShouldHaveSingleItem();
        finding.Subject.ShouldBe(url.ToString());
        finding.Message.ShouldContain("Connection refused");
        outcome.Summary.ShouldStartWith($"GET {url} failed: ");
    }

    [Fact]
    public async Task A_server_that_never_answers_is_an_error_at_the_timeout()
    {
        // Act
        var outcome = await new CheckRunner().RunAsync(Check("/hang") with { Timeout = TimeSpan.FromSeconds(1) });

        // Assert
        outcome.Status.ShouldBe(ValidationStatus.Error);
        outcome.Summary.ShouldBe("timed out after 1s");
        outcome.Duration.ShouldBeLessThan(TimeSpan.FromSeconds(5));
        var finding = outcome.Findings.ShouldHaveSingleItem();
        finding.Subject.ShouldBe(_server.Url("/hang").ToString());
        finding.Message.ShouldBe("no complete answer within 1s; the request was abandoned");
    }

    private HttpCheck Check(string path, string? contains = null) =>
        new("dashboard", TimeSpan.FromSeconds(10), _server.Url(path), 200, contains);
}
