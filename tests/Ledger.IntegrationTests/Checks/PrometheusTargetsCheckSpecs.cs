using Ledger.Capture.Checks;
using Ledger.Core.Events;
using Ledger.Core.Validation;

namespace Ledger.IntegrationTests.Checks;

public sealed class PrometheusTargetsCheckSpecs : IClassFixture<PrometheusFixture>
{
    private readonly PrometheusFixture _prometheus;

    public PrometheusTargetsCheckSpecs(PrometheusFixture prometheus)
    {
        _prometheus = prometheus;
    }

    [PrometheusFact]
    public async Task A_target_that_is_down_fails_the_check_naming_exactly_that_target()
    {
        // Arrange
        var check = new PrometheusTargetsCheck("targets", TimeSpan.FromSeconds(10), _prometheus.Url);
        var down = $"http://127.0.0.1:{_prometheus.DownPort}/metrics";

        // Act
        var outcome = await new CheckRunner().RunAsync(check);

        // Assert
        outcome.Status.ShouldBe(ValidationStatus.Fail);
        outcome.Summary.ShouldBe($"1 of 2 active targets are not up: missing-exporter ({down})");
        var finding = outcome.Findings.ShouldHaveSingleItem();
        finding.Subject.ShouldBe(down);
        finding.Message.ShouldStartWith("scrape pool \"missing-exporter\" is down: ");
        finding.Message.ShouldContain("connection refused");
        outcome.Output.ShouldNotBeNull().ShouldContain($"up      prometheus {_prometheus.Url}metrics");
    }

    [Fact]
    public async Task An_unreachable_prometheus_is_an_error()
    {
        // Arrange
        var url = new Uri($"http://127.0.0.1:{FreePort.Next()}");

        // Act
        var outcome = await new CheckRunner().RunAsync(new PrometheusTargetsCheck("targets", TimeSpan.FromSeconds(10), url));

        // Assert
        outcome.Status.ShouldBe(ValidationStatus.Error);
        outcome.Summary.ShouldStartWith($"Prometheus at {url} is unreachable: ");
        outcome.Summary.ShouldContain("Connection refused");
    }

    [Fact]
    public async Task A_server_that_is_not_prometheus_is_an_error()
    {
        // Arrange
        await using var server = new FixedHttpServer(_ => FixedHttpServer.Response(404, "Not Found", "404 page not found"));

        // Act
        var outcome = await new CheckRunner().RunAsync(new PrometheusTargetsCheck("targets", TimeSpan.FromSeconds(10), server.Url("/")));

        // Assert
        outcome.Status.ShouldBe(ValidationStatus.Error);
        outcome.Summary.ShouldBe($"Prometheus at {server.Url("/")} answered 404 Not Found");
    }

    [Fact]
    public async Task A_prometheus_without_targets_fails()
    {
        // Arrange: the answer of a Prometheus 2.42 whose scrape_configs is empty.
        await using var server = new FixedHttpServer(_ => FixedHttpServer.Response(
            200, "OK", """{"status":"success","data":{"activeTargets":[],"droppedTargets":[]}}""", "application/json"));

        // Act
        var outcome = await new CheckRunner().RunAsync(new PrometheusTargetsCheck("targets", TimeSpan.FromSeconds(10), server.Url("/")));

        // Assert
        outcome.Status.ShouldBe(ValidationStatus.Fail);
        outcome.Summary.ShouldBe("Prometheus has no active targets");
    }
}
