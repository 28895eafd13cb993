using System.Net;
using Ledger.App.Daemon;
using Ledger.Cli.Commands;
using Ledger.Cli.Serve;
using Ledger.Core.Errors;
using Ledger.IntegrationTests.Support;

namespace Ledger.IntegrationTests.Serve;

public sealed class ServeSettingsSpecs : IDisposable
{
    private readonly TempDirectory _dir = new("ledger-serve-settings");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Serve_json_sets_every_field_and_leaves_the_rest_at_their_defaults()
    {
        // Act
        var s = ServeSettingsReader.Parse("""
            // the daemon of mediabox
            {
              "listen": "0.0.0.0:9977",
              "tokenFile": "/run/secrets/webhook",
              "maxBodyBytes": 65536,
              "host": "mediabox",
              "repo": "/srv/nixos",
              "checks": "/etc/ledger/checks.json",
              "logFile": "/var/log/ledger/serve.log",
              "shutdownSeconds": 10,
              "intervals": { "gpu": 60, "validate": 3600, "git": 0 },
              "grafana": { "url": "http://127.0.0.1:3000", "tokenFile": "/run/secrets/grafana", "dashboardUid": "media" },
            }
            """, "serve.json");

        // Assert
        s.Listen.ShouldBe("0.0.0.0:9977");
        s.TokenFile.ShouldBe("/run/secrets/webhook");
        s.MaxBodyBytes.ShouldBe(65536);
        s.Host.ShouldBe("mediabox");
        s.Repo.ShouldBe("/srv/nixos");
        s.ShutdownSeconds.ShouldBe(10);
        s.Intervals.ShouldBe(new ServeIntervals { Gpu = 60, Validate = 3600, Git = 0 });
        s.Intervals.Containers.ShouldBe(300);
        s.Intervals.Storage.ShouldBe(3600);
        s.Grafana.ShouldBe(new GrafanaSettings(new Uri("http://127.0.0.1:3000"), "/run/secrets/grafana", "media"));
    }

    [Theory]
    [InlineData("""{ "lisen": "x" }""", "serve.json: lisen: unknown field; did you mean \"listen\"?")]
    [InlineData("""{ "intervals": { "gpus": 5 } }""", "serve.json: intervals.gpus: unknown field; did you mean \"gpu\"?")]
    [InlineData("""{ "intervals": { "gpu": -1 } }""", "serve.json: intervals.gpu: expected a whole number from 0 up.")]
    [InlineData("""{ "maxBodyBytes": "big" }""", "serve.json: maxBodyBytes: expected a whole number from 1024 up.")]
    [InlineData("""{ "grafana": { "url": "grafana" , "tokenFile": "t" } }""", "serve.json: grafana.url: Grafana's base URL is required")]
    [InlineData("""{ "grafana": { "url": "http://g:3000" } }""", "serve.json: grafana.tokenFile: required")]
    [InlineData("""[1]""", "serve.json: expected an object")]
    [InlineData("""{ "listen": """, "serve.json: not valid JSON")]
    public void A_wrong_field_is_named(string json, string message)
    {
        Should.Throw<LedgerException>(() => ServeSettingsReader.Parse(json, "serve.json")).Message.ShouldStartWith(message);
    }

    [Fact]
    public void Every_flag_overrides_one_interval_and_zero_turns_it_off()
    {
        // Act
        var intervals = ServeSettingsReader.ApplyEvery(ServeSettingsReader.ApplyEvery(new ServeIntervals(), "gpu=0"), "metrics=5");

        // Assert
        intervals.Gpu.ShouldBe(0);
        intervals.Metrics.ShouldBe(5);
        Should.Throw<LedgerException>(() => ServeSettingsReader.ApplyEvery(intervals, "gpu")).Message.ShouldContain("expected NAME=SECONDS");
        Should.Throw<LedgerException>(() => ServeSettingsReader.ApplyEvery(intervals, "sael=5")).Message.ShouldContain("did you mean \"seal\"?");
    }

    [Fact]
    public void A_missing_serve_json_means_the_defaults_unless_it_was_named()
    {
        var missing = Path.Combine(_dir.Path, "serve.json");

        ServeSettingsReader.Load(missing, mustExist: false).ShouldBe(new ServeSettings());
        Should.Throw<LedgerException>(() => ServeSettingsReader.Load(missing, mustExist: true)).Message.ShouldContain("There is no serve configuration");
        new ServeSettings().Listen.ShouldBe("127.0.0.1:9977");
    }

    [Theory]
    [InlineData("127.0.0.1:9977", "127.0.0.1", 9977)]
    [InlineData("0.0.0.0:80", "0.0.0.0", 80)]
    [InlineData("[::1]:9977", "::1", 9977)]
    [InlineData("localhost:9977", null, 9977)]
    [InlineData("127.0.0.1:0", "127.0.0.1", 0)]
    public void Listen_addresses(string text, string? address, int port)
    {
        var listen = ListenAddress.Parse(text);

        listen.Address.ShouldBe(address is null ? null : IPAddress.Parse(address));
        listen.Port.ShouldBe(port);
        listen.ToString().ShouldBe(text);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("[::1]")]
    [InlineData("mediabox:9977")]
    [InlineData("127.0.0.1:99999")]
    [InlineData(":9977")]
    public void A_listen_address_without_a_port_or_with_a_name_is_refused(string text)
    {
        Should.Throw<LedgerException>(() => ListenAddress.Parse(text)).Message.ShouldContain("expected ADDR:PORT");
    }

    [Fact]
    public void The_token_comes_from_the_flag_file_then_the_environment_then_serve_json()
    {
        // Arrange
        var flagFile = Path.Combine(_dir.Path, "flag-token");
        var settingsFile = Path.Combine(_dir.Path, "settings-token");
        File.WriteAllText(flagFile, "from-flag\n");
        File.WriteAllText(settingsFile, "from-settings\n");
        var empty = Path.Combine(_dir.Path, "empty");
        File.WriteAllText(empty, "\n");
        static string? WithEnv(string name) => name == "LEDGER_WEBHOOK_TOKEN" ? "from-env" : null;
        static string? NoEnv(string name) => null;

        // Act / Assert
        ServeCommand.ReadToken(flagFile, WithEnv, settingsFile).ShouldBe("from-flag");
        ServeCommand.ReadToken(null, WithEnv, settingsFile).ShouldBe("from-env");
        ServeCommand.ReadToken(null, NoEnv, settingsFile).ShouldBe("from-settings");
        ServeCommand.ReadToken(null, NoEnv, null).ShouldBeNull();
        Should.Throw<LedgerException>(() => ServeCommand.ReadToken(empty, NoEnv, null)).Message.ShouldContain("is empty");
        Should.Throw<LedgerException>(() => ServeCommand.ReadToken(Path.Combine(_dir.Path, "nope"), NoEnv, null)).Message.ShouldContain("Cannot read the webhook token file");
    }
}
