using System.Net;
using Ledger.Core.Events;
using Ledger.Core.Timeline;
using Ledger.IntegrationTests.Serve;
using Ledger.IntegrationTests.Support;

namespace Ledger.IntegrationTests.Hostile;

/// <summary>Alert notifications whose text PostgreSQL or the redactor used to choke on (issue 15).</summary>
public sealed class HostileAlertSpecs : IClassFixture<DatabaseFixture>, IDisposable
{
    private readonly DatabaseFixture _db;
    private readonly TempDirectory _home = new("ledger-serve");

    public HostileAlertSpecs(DatabaseFixture db)
    {
        _db = db;
    }

    public void Dispose() => _home.Dispose();

    [Fact(Timeout = 120_000)]
    public async Task An_annotation_with_NUL_a_long_token_line_and_a_password_is_recorded_with_the_password_redacted_issue_15()
    {
        await using var serve = await TestServe.StartAsync(_db.Store, _home.Path, "wh-hostile");
        var longToken = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(40_000)).Replace('+', '-').Replace('/', '_');
        var body = AlertBodies.Firing("JellyfinDown", "bad0000000000001")
            .Replace("\"summary\": \"JellyfinDown is firing\"", $"\"summary\": \"nul\\u0000here password=Hunter2Secret\", \"runbook\": \"# token {longToken}\"", StringComparison.Ordinal);
        body.ShouldContain("\\u0000");

        var response = await serve.PostAlertsAsync(body);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var fired = (await _db.Store.TimelineAsync(new TimelineQuery { Host = "wh-hostile", Limit = null })).ShouldHaveSingleItem().Data.ShouldBeOfType<AlertFired>();
        fired.Annotations["summary"].ShouldStartWith("nul\u2400here password=[REDACTED:");
        fired.Annotations["runbook"].Length.ShouldBeGreaterThan(0);
        var stored = (string)(await _db.ScalarAsync("select string_agg(data::text, ' ') from ledger.mt_events"))!;
        stored.ShouldNotContain("Hunter2Secret");
    }
}
