using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ledger.IntegrationTests.Support;

namespace Ledger.IntegrationTests.Nix;

/// <summary>
/// nix/module.nix evaluated with nixpkgs' own lib.evalModules (issue 21): the units, timers,
/// tmpfiles, PostgreSQL settings and firewall it generates for several configurations, and wrong
/// values refused with messages that name the option.
/// </summary>
public sealed class NixModuleEvalSpecs
{
    private const string Full = """
        {
          services.ledger = {
            enable = true;
            users = [ "alice" ];
            webhook = {
              enable = true;
              address = "::";
              port = 9988;
              openFirewall = true;
              tokenFile = "/run/secrets/ledger-webhook-token";
              settings = {
                intervals.validate = 3600;
                grafana = { url = "http://127.0.0.1:3000"; tokenFile = "/run/secrets/grafana-ledger-token"; };
                logFile = "/var/log/ledger/serve.log";
              };
            };
            snapshots.gpu = "15min";
            snapshots.containers = "1h 30min";
            reports.monthly.enable = true;
            reports.dir = "/srv/ledger reports";
            docs.enable = true;
            seal.enable = true;
          };
        }
        """;

    [NixEvalFact]
    public void The_default_configuration_evaluates_with_hardened_units_and_a_hook_that_runs_on_every_switch()
    {
        // Act
        var result = Evaluate("{ services.ledger.enable = true; }");

        // Assert
        result.GetProperty("failedAssertions").GetArrayLength().ShouldBe(0);
        result.GetProperty("warnings").GetArrayLength().ShouldBe(0);
        var services = result.GetProperty("services");
        Names(services).ShouldBe(["ledger-db-setup", "ledger-git-hook", "ledger-snapshot-storage", "ledger-snapshot-system"]);
        Names(result.GetProperty("timers")).ShouldBe(["ledger-snapshot-storage", "ledger-snapshot-system"]);

        var hook = services.GetProperty("ledger-git-hook");
        Strings(hook.GetProperty("wantedBy")).ShouldBe(["multi-user.target", "sysinit-reactivation.target"]);
        hook.GetProperty("serviceConfig").TryGetProperty("RemainAfterExit", out _).ShouldBeFalse("a oneshot that stays active would not run again on a switch");
        hook.GetProperty("serviceConfig").GetProperty("User").GetString().ShouldBe("root");
        Strings(hook.GetProperty("serviceConfig").GetProperty("CapabilityBoundingSet")).ShouldBe(["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER"]);

        foreach (var unit in services.EnumerateObject())
        {
            var sc = unit.Value.GetProperty("serviceConfig");
            sc.GetProperty("ProtectProc").GetString().ShouldBe("invisible", unit.Name);
            Strings(sc.GetProperty("SystemCallFilter")).ShouldContain("@system-service", unit.Name);
            sc.GetProperty("RemoveIPC").GetBoolean().ShouldBeTrue(unit.Name);
            sc.GetProperty("NoNewPrivileges").GetBoolean().ShouldBeTrue(unit.Name);
        }

        var storage = services.GetProperty("ledger-snapshot-storage").GetProperty("serviceConfig");
        storage.GetProperty("User").GetString().ShouldBe("ledger");
        Strings(storage.GetProperty("SystemCallFilter")).ShouldBe(["@system-service", "~@privileged"]);
        Strings(storage.GetProperty("CapabilityBoundingSet")).ShouldBe([""]);
        storage.GetProperty("PrivateDevices").GetBoolean().ShouldBeTrue();
        storage.TryGetProperty("DeviceAllow", out _).ShouldBeFalse("only the GPU unit reaches a device");

        var pg = result.GetProperty("postgresql");
        pg.GetProperty("enable").GetBoolean().ShouldBeTrue();
        Strings(pg.GetProperty("ensureDatabases")).ShouldBe(["ledger"]);
        pg.GetProperty("authentication").GetString().ShouldBe("local ledger ledger,ledger_app peer map=ledger-users\n");

        // The owner role is used by ledger-db-setup alone; everything else logs in as ledger_app,
        // which ledger-db-setup's 'init --db-guards --app-role' leaves unable to change history
        // (AppendOnlySpecs shows what such a role can and cannot do).
        var users = pg.GetProperty("ensureUsers").EnumerateArray().ToList();
        users.Select(u => u.GetProperty("name").GetString()).ShouldBe(["ledger", "ledger_app"]);
        users[1].TryGetProperty("ensureDBOwnership", out _).ShouldBeFalse();
        var setup = services.GetProperty("ledger-db-setup");
        setup.GetProperty("environment").GetProperty("LEDGER_DB").GetString().ShouldBe("Host=/run/postgresql;Username=ledger;Database=ledger");
        setup.GetProperty("serviceConfig").GetProperty("ExecStart").GetString()!.ShouldEndWith(" init --db-guards --app-role ledger_app");
        setup.GetProperty("serviceConfig").GetProperty("User").GetString().ShouldBe("ledger");
        Strings(result.GetProperty("systemPackages")).ShouldHaveSingleItem().ShouldContain("Username=ledger_app;Database=ledger", Case.Sensitive, "the ledger command on PATH");
        foreach (var unit in services.EnumerateObject().Where(u => u.Name != "ledger-db-setup"))
        {
            unit.Value.GetProperty("environment").GetProperty("LEDGER_DB").GetString().ShouldBe("Host=/run/postgresql;Username=ledger_app;Database=ledger", unit.Name);
            Strings(unit.Value.GetProperty("requires")).ShouldContain("ledger-db-setup.service", unit.Name);
            Strings(unit.Value.GetProperty("after")).ShouldContain("ledger-db-setup.service", unit.Name);
        }
        result.GetProperty("firewall").GetArrayLength().ShouldBe(0, "no port is opened unless asked");
        result.GetProperty("tmpfiles").GetProperty("10-ledger").GetProperty("/var/lib/ledger/logs").GetProperty("d").GetProperty("mode").GetString().ShouldBe("2770");
        var spool = result.GetProperty("tmpfiles").GetProperty("10-ledger").GetProperty("/var/lib/ledger/spool").GetProperty("d");
        (spool.GetProperty("mode").GetString(), spool.GetProperty("group").GetString()).ShouldBe(("2770", "ledger"), "the daemon delivers what the hook spooled as root");
    }

    [NixEvalFact]
    public void Every_option_set_gives_the_daemon_its_port_credentials_and_settings_and_each_unit_only_what_it_needs()
    {
        // Act
        var result = Evaluate(Full);

        // Assert
        result.GetProperty("failedAssertions").GetArrayLength().ShouldBe(0);
        var services = result.GetProperty("services");
        Names(services).ShouldBe(["ledger", "ledger-db-setup", "ledger-docs", "ledger-git-hook", "ledger-report-monthly", "ledger-seal", "ledger-snapshot-containers", "ledger-snapshot-gpu", "ledger-snapshot-storage", "ledger-snapshot-system"]);

        var serve = services.GetProperty("ledger").GetProperty("serviceConfig");
        serve.GetProperty("ExecStart").GetString()!.ShouldEndWith(" serve --listen \"[::]:9988\" --token-file %d/webhook-token");
        Strings(serve.GetProperty("LoadCredential")).ShouldBe(["webhook-token:/run/secrets/ledger-webhook-token", "grafana-token:/run/secrets/grafana-ledger-token"]);
        Strings(result.GetProperty("firewall")).ShouldBe(["9988"]);

        using var serveJson = JsonDocument.Parse(result.GetProperty("etc").GetProperty("ledger/serve.json").GetString()!);
        var settings = serveJson.RootElement;
        settings.GetProperty("repo").GetString().ShouldBe("/etc/nixos");
        settings.GetProperty("grafana").GetProperty("tokenFile").GetString().ShouldBe("/run/credentials/ledger.service/grafana-token", "the store holds where systemd puts the token, not the secret's path");
        settings.GetProperty("intervals").GetProperty("validate").GetInt32().ShouldBe(3600);
        settings.GetProperty("intervals").GetProperty("gpu").GetInt32().ShouldBe(0);
        settings.GetProperty("logFile").GetString().ShouldBe("/var/log/ledger/serve.log", "unknown fields pass through");

        var gpu = services.GetProperty("ledger-snapshot-gpu").GetProperty("serviceConfig");
        gpu.GetProperty("PrivateDevices").GetBoolean().ShouldBeFalse();
        gpu.GetProperty("DevicePolicy").GetString().ShouldBe("closed");
        Strings(gpu.GetProperty("DeviceAllow")).ShouldContain("char-nvidia-frontend rw");
        result.GetProperty("timers").GetProperty("ledger-snapshot-containers").GetProperty("timerConfig").GetProperty("OnUnitActiveSec").GetString().ShouldBe("1h 30min");

        var report = services.GetProperty("ledger-report-monthly").GetProperty("serviceConfig");
        Strings(report.GetProperty("ReadWritePaths")).ShouldBe(["\"/srv/ledger reports\""], "a path with a space stays one path");
        result.GetProperty("tmpfiles").GetProperty("10-ledger").TryGetProperty("/srv/ledger reports", out _).ShouldBeTrue();
        result.GetProperty("postgresql").GetProperty("identMap").GetString().ShouldBe(
            "ledger-users ledger ledger\nledger-users ledger ledger_app\nledger-users root ledger_app\nledger-users alice ledger_app\n",
            "only the service user may log in as the owner; root and the users get ledger_app");
    }

    [NixEvalFact]
    public void The_monthly_report_of_a_fleet_writes_every_hosts_report_into_the_months_folder()
    {
        var one = Evaluate("{ services.ledger = { enable = true; reports.monthly.enable = true; }; }");
        var fleet = Evaluate("{ services.ledger = { enable = true; reports.monthly = { enable = true; fleet = true; }; }; }");

        one.GetProperty("services").GetProperty("ledger-report-monthly").GetProperty("script").GetString()!
            .ShouldEndWith("report monthly --month \"$month\" --out /var/lib/ledger/reports --docs /etc/nixos/docs\n", Case.Sensitive, "the report links to the change docs where ledger-docs writes them");
        fleet.GetProperty("services").GetProperty("ledger-report-monthly").GetProperty("script").GetString()!
            .ShouldEndWith("report monthly --month \"$month\" --fleet --out /var/lib/ledger/reports/\"$month\"/\n");
    }

    [NixEvalFact]
    public void A_hardening_value_is_relaxed_without_mkForce()
    {
        var result = Evaluate("""{ services.ledger.enable = true; systemd.services.ledger-snapshot-storage.serviceConfig.ProtectProc = "default"; }""");

        result.GetProperty("services").GetProperty("ledger-snapshot-storage").GetProperty("serviceConfig").GetProperty("ProtectProc").GetString().ShouldBe("default");
    }

    [NixEvalFact]
    public void A_secret_that_looks_written_inline_is_warned_about_and_a_missing_database_is_an_assertion()
    {
        var inline = Evaluate("""{ services.ledger = { enable = true; database.createLocally = false; database.connectionStringFile = "/run/secrets/Host=db;Password=hunter2"; }; }""");
        var neither = Evaluate("{ services.ledger = { enable = true; database.createLocally = false; }; }");
        var renamed = Evaluate("""{ services.ledger = { enable = true; webhook.listenAddress = "0.0.0.0:9977"; }; }""");

        Strings(inline.GetProperty("warnings")).ShouldHaveSingleItem().ShouldStartWith("services.ledger.database.connectionStringFile looks like a secret written inline");
        Strings(neither.GetProperty("failedAssertions")).ShouldHaveSingleItem().ShouldContain("set either database.createLocally = true or database.connectionStringFile");
        Strings(renamed.GetProperty("failedAssertions")).ShouldHaveSingleItem().ShouldContain("services.ledger.webhook.address and services.ledger.webhook.port");
    }

    [NixEvalTheory]
    [InlineData("""database = { createLocally = false; connectionStringFile = "/nix/store/0123456789abcdfghijklmnpqrsvwxyz-ledger-db"; };""", "services.ledger.database.connectionStringFile", "not in the Nix store")]
    [InlineData("""webhook.tokenFile = ./flake.nix;""", "services.ledger.webhook.tokenFile", "not in the Nix store")]
    [InlineData("""webhook = { enable = true; settings.grafana = { url = "http://g"; tokenFile = "relative/token"; }; };""", "services.ledger.webhook.settings.grafana.tokenFile", "absolute path")]
    [InlineData("""hostName = "";""", "services.ledger.hostName", "host name")]
    [InlineData("""snapshots.system = "every hour please";""", "services.ledger.snapshots.system", "systemd time span")]
    [InlineData("""users = [ "alice bob" ];""", "services.ledger.users", "user name")]
    [InlineData("""webhook = { enable = true; settings.intervals = 5; };""", "services.ledger.webhook.settings.intervals", "attribute set")]
    [InlineData("""webhook = { enable = true; settings = null; };""", "services.ledger.webhook.settings", "submodule")]
    [InlineData("""webhook = { enable = true; port = 99999; };""", "services.ledger.webhook.port", "16 bit unsigned integer")]
    [InlineData("""repoPath = "etc/nixos";""", "services.ledger.repoPath", "absolute path")]
    public void A_wrong_value_fails_the_evaluation_naming_the_option(string settings, string option, string expected)
    {
        // Act
        var (code, _, error) = NixModuleEval.Run($$"""{ services.ledger = { enable = true; {{settings}} }; }""");

        // Assert
        code.ShouldNotBe(0);
        error.ShouldContain($"`{option}", Case.Sensitive, error);
        error.ShouldContain(expected, Case.Sensitive, error);
    }

    [NixEvalFact]
    public async Task The_ledger_command_on_PATH_runs_record_commit_and_import_git_in_ledger_hook_and_the_rest_in_ledger()
    {
        // Arrange: the wrapper's text, its package's programs replaced by stand-ins that say who ran
        var script = Strings(Evaluate("{ services.ledger.enable = true; }").GetProperty("systemPackages")).ShouldHaveSingleItem();
        var package = Regex.Match(script, @"exec (/nix/store/\S+)/bin/ledger-hook").Groups[1].Value;
        package.ShouldNotBeEmpty(script);
        using var dir = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(dir.Path, "bin"));
        foreach (var program in new[] { "ledger", "ledger-hook" })
        {
            var standIn = Path.Combine(dir.Path, "bin", program);
            await File.WriteAllTextAsync(standIn, $"#!/bin/sh\necho {program} \"$@\"\n");
            File.SetUnixFileMode(standIn, (UnixFileMode)0b111_101_101);
        }

        var wrapper = Path.Combine(dir.Path, "wrapper");
        var text = Regex.Replace(script.Replace(package, dir.Path, StringComparison.Ordinal), @"/nix/store/[0-9]{32}-(coreutils|gnugrep)/bin/", "");
        await File.WriteAllTextAsync(wrapper, text);

        // x86-64 runs ledger-hook only with x86-64-v2, which /proc/cpuinfo shows as sse4_2.
        var hookRuns = RuntimeInformation.ProcessArchitecture != Architecture.X64
            || File.ReadAllText("/proc/cpuinfo").Contains(" sse4_2", StringComparison.Ordinal);
        var hook = hookRuns ? "ledger-hook" : "ledger";

        // Act
        async Task<string> Run(params string[] args) => (await CliProcess.RunProgramAsync("/bin/sh", new Dictionary<string, string?>(), [wrapper, .. args])).Out.Trim();

        // Assert
        (await Run("record", "commit", "HEAD", "--repo", "/etc/nixos")).ShouldBe($"{hook} record commit HEAD --repo /etc/nixos");
        (await Run("import-git", "--repo", "/etc/nixos")).ShouldBe($"{hook} import-git --repo /etc/nixos", "ledger would hand it to ledger-hook after .NET's start-up");
        (await Run("record", "backup", "--tool", "restic")).ShouldBe("ledger record backup --tool restic");
        (await Run("timeline")).ShouldBe("ledger timeline");
        (await Run()).ShouldBe("ledger");
    }

    private static JsonElement Evaluate(string configuration)
    {
        var (code, result, error) = NixModuleEval.Run(configuration);
        code.ShouldBe(0, error);
        return result!.Value;
    }

    private static List<string> Names(JsonElement obj) => [.. obj.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];

    private static List<string> Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Number ? e.GetRawText() : e.GetString()!)];
}
