using Ledger.Core.Errors;
using Ledger.Core.Events;
using Ledger.Core.Validation;

namespace Ledger.Core.Tests;

public class ChecklistSpecs
{
    private const string Source = "checks.json";

    [Fact]
    public void A_checklist_with_every_kind_is_read_with_its_fields()
    {
        // Arrange
        var json = """
            {
              "checks": [
                { "name": "rebuild", "kind": "nixos-rebuild", "mode": "test", "flake": ".#mediabox", "repo": "/srv/nixos", "timeoutSeconds": 600 },
                { "name": "containers", "kind": "containers", "expected": ["jellyfin", "sonarr"], "maxRestarts": 5 },
                { "name": "gpu", "kind": "gpu", "minUtilizationPercent": 12.5 },
                { "name": "targets", "kind": "prometheus-targets", "url": "http://127.0.0.1:9090" },
                { "name": "grafana", "kind": "http", "url": "http://127.0.0.1:3000/api/health", "expectStatus": 204, "contains": "ok" },
                { "name": "cold", "kind": "disk", "mount": "/mnt/cold", "maxUsedPercent": 95.5 },
                { "name": "prometheus", "kind": "systemd", "unit": "prometheus.service" },
                { "name": "headers", "kind": "doc-headers", "root": "/etc/nixos", "globs": ["**/*.nix", "scripts/*.sh"], "exclude": ["hardware-configuration.nix"] }
              ]
            }
            """;

        // Act
        var checklist = Checklist.Parse(json, Source);

        // Assert
        checklist.SourceName.ShouldBe(Source);
        checklist.Checks.Select(c => c.Kind).ShouldBe(CheckKinds.All);
        var rebuild = checklist.Checks[0].ShouldBeOfType<NixosRebuildCheck>();
        rebuild.ShouldBe(new NixosRebuildCheck("rebuild", TimeSpan.FromSeconds(600), NixosRebuildMode.Test, ".#mediabox", "/srv/nixos"));
        rebuild.Arguments.ShouldBe(["test", "--flake", ".#mediabox"]);
        var containers = checklist.Checks[1].ShouldBeOfType<ContainersCheck>();
        containers.Expected.ShouldBe(["jellyfin", "sonarr"]);
        containers.MaxRestarts.ShouldBe(5);
        checklist.Checks[2].ShouldBe(new GpuCheck("gpu", TimeSpan.FromSeconds(10), 12.5));
        checklist.Checks[3].ShouldBe(new PrometheusTargetsCheck("targets", TimeSpan.FromSeconds(10), new Uri("http://127.0.0.1:9090")));
        checklist.Checks[4].ShouldBe(new HttpCheck("grafana", TimeSpan.FromSeconds(10), new Uri("http://127.0.0.1:3000/api/health"), 204, "ok"));
        checklist.Checks[5].ShouldBe(new DiskCheck("cold", TimeSpan.FromSeconds(10), "/mnt/cold", 95.5));
        checklist.Checks[6].ShouldBe(new SystemdCheck("prometheus", TimeSpan.FromSeconds(10), "prometheus.service"));
        var headers = checklist.Checks[7].ShouldBeOfType<DocHeadersCheck>();
        headers.Root.ShouldBe("/etc/nixos");
        headers.Globs.ShouldBe(["**/*.nix", "scripts/*.sh"]);
        headers.Exclude.ShouldBe(["hardware-configuration.nix"]);
    }

    [Fact]
    public void Optional_fields_take_their_defaults()
    {
        // Arrange
        var json = Checks(
            """{ "name": "rebuild", "kind": "nixos-rebuild", "mode": "dry-build" }""",
            """{ "name": "containers", "kind": "containers", "expected": ["jellyfin"] }""",
            """{ "name": "gpu", "kind": "gpu" }""",
            """{ "name": "grafana", "kind": "http", "url": "https://grafana.example.org/api/health" }""",
            """{ "name": "headers", "kind": "doc-headers", "root": "/etc/nixos", "globs": ["*.nix"] }""");

        // Act
        var checks = Checklist.Parse(json, Source).Checks;

        // Assert
        checks[0].ShouldBe(new NixosRebuildCheck("rebuild", TimeSpan.FromSeconds(60), NixosRebuildMode.DryBuild, null, "/etc/nixos"));
        checks[0].ShouldBeOfType<NixosRebuildCheck>().Arguments.ShouldBe(["dry-build"]);
        checks[1].ShouldBeOfType<ContainersCheck>().MaxRestarts.ShouldBe(3);
        checks[1].Timeout.ShouldBe(TimeSpan.FromSeconds(10));
        checks[2].ShouldBeOfType<GpuCheck>().MinUtilizationPercent.ShouldBeNull();
        var http = checks[3].ShouldBeOfType<HttpCheck>();
        http.ExpectStatus.ShouldBe(200);
        http.Contains.ShouldBeNull();
        checks[4].ShouldBeOfType<DocHeadersCheck>().Exclude.ShouldBeEmpty();
    }

    [Fact]
    public void The_example_parses_and_covers_every_kind()
    {
        // Act
        var checklist = Checklist.Parse(Checklist.Example, Source);

        // Assert
        checklist.Checks.Select(c => c.Kind).Distinct().ShouldBe(CheckKinds.All, ignoreOrder: true);
        checklist.Checks.OfType<NixosRebuildCheck>().Single().Arguments.ShouldBe(["test", "--flake", ".#mediabox"]);
        checklist.Checks.OfType<ContainersCheck>().Single().Expected.ShouldBe(["jellyfin", "sonarr", "radarr"]);
        checklist.Checks.OfType<PrometheusTargetsCheck>().Single().Url.ShouldBe(new Uri("http://127.0.0.1:9090"));
        checklist.Checks.OfType<HttpCheck>().Select(c => c.Url.Port).ShouldBe([3000, 8501, 9999, 9998]);
        checklist.Checks.OfType<DiskCheck>().Select(c => c.Mount).ShouldBe(["/", "/mnt/cold"]);
        checklist.Checks.OfType<SystemdCheck>().Single().Unit.ShouldBe("prometheus.service");
        var headers = checklist.Checks.OfType<DocHeadersCheck>().Single();
        headers.Root.ShouldBe("/etc/nixos");
        headers.Globs.ShouldContain("**/*.nix");
    }

    [Fact]
    public void The_example_starts_with_the_header_the_runbook_asks_for()
    {
        // Act
        var header = Checklist.Example.Split('\n').TakeWhile(l => l.StartsWith("//", StringComparison.Ordinal)).ToList();

        // Assert
        header.ShouldContain(l => l.Contains("Purpose", StringComparison.Ordinal));
        header.ShouldContain(l => l.Contains("Date: 2", StringComparison.Ordinal));
        header.ShouldContain(l => l.Contains("Rollback", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{ "kind": "disk", "mount": "/", "maxUsedPercent": 90 }""", """checks.json: check #1: missing required field "name" (a non-empty string, unique in the list)""")]
    [InlineData("""{ "name": "", "kind": "disk" }""", """checks.json: check #1: field "name" must be a non-empty string, unique in the list (got "")""")]
    [InlineData("""{ "name": "root", "mount": "/" }""", """checks.json: check #1 "root": missing required field "kind" (one of nixos-rebuild, containers, gpu, prometheus-targets, http, disk, systemd, doc-headers)""")]
    [InlineData("""{ "name": "rebuild", "kind": "nixos-rebuild" }""", """checks.json: check #1 "rebuild": missing required field "mode" (one of "test", "dry-build", "build")""")]
    [InlineData("""{ "name": "rebuild", "kind": "nixos-rebuild", "mode": "switch" }""", """checks.json: check #1 "rebuild": field "mode" must be one of "test", "dry-build", "build" (got "switch")""")]
    [InlineData("""{ "name": "rebuild", "kind": "nixos-rebuild", "mode": "test", "repo": "etc/nixos" }""", """checks.json: check #1 "rebuild": field "repo" must be an absolute path, e.g. "/etc/nixos" (got "etc/nixos")""")]
    [InlineData("""{ "name": "rebuild", "kind": "nixos-rebuild", "mode": "test", "flake": "" }""", """checks.json: check #1 "rebuild": field "flake" must be a non-empty string, e.g. ".#mediabox" (got "")""")]
    [InlineData("""{ "name": "c", "kind": "containers" }""", """checks.json: check #1 "c": missing required field "expected" (an array of container names, e.g. ["jellyfin"])""")]
    [InlineData("""{ "name": "c", "kind": "containers", "expected": "jellyfin" }""", """checks.json: check #1 "c": field "expected" must be an array of strings (got "jellyfin")""")]
    [InlineData("""{ "name": "c", "kind": "containers", "expected": ["jellyfin", 3] }""", """checks.json: check #1 "c": field "expected" item #2 must be a non-empty string (got 3)""")]
    [InlineData("""{ "name": "c", "kind": "containers", "expected": [] }""", """checks.json: check #1 "c": field "expected" must not be empty (an array of container names, e.g. ["jellyfin"])""")]
    [InlineData("""{ "name": "c", "kind": "containers", "expected": ["a"], "maxRestarts": -1 }""", """checks.json: check #1 "c": field "maxRestarts" must be an integer from 0 to 2147483647 (got -1)""")]
    [InlineData("""{ "name": "gpu", "kind": "gpu", "minUtilizationPercent": "high" }""", """checks.json: check #1 "gpu": field "minUtilizationPercent" must be a number (got "high")""")]
    [InlineData("""{ "name": "gpu", "kind": "gpu", "minUtilizationPercent": 101 }""", """checks.json: check #1 "gpu": field "minUtilizationPercent" must be a number from 0 to 100 (got 101)""")]
    [InlineData("""{ "name": "targets", "kind": "prometheus-targets" }""", """checks.json: check #1 "targets": missing required field "url" (an http:// or https:// URL, e.g. "http://127.0.0.1:3000/api/health")""")]
    [InlineData("""{ "name": "targets", "kind": "prometheus-targets", "url": "127.0.0.1:9090" }""", """checks.json: check #1 "targets": field "url" must be an http:// or https:// URL, e.g. "http://127.0.0.1:3000/api/health" (got "127.0.0.1:9090")""")]
    [InlineData("""{ "name": "grafana", "kind": "http", "url": "ftp://127.0.0.1/" }""", """checks.json: check #1 "grafana": field "url" must be an http:// or https:// URL, e.g. "http://127.0.0.1:3000/api/health" (got "ftp://127.0.0.1/")""")]
    [InlineData("""{ "name": "grafana", "kind": "http", "url": "http://127.0.0.1:3000", "expectStatus": "ok" }""", """checks.json: check #1 "grafana": field "expectStatus" must be an integer (got "ok")""")]
    [InlineData("""{ "name": "grafana", "kind": "http", "url": "http://127.0.0.1:3000", "expectStatus": 200.5 }""", """checks.json: check #1 "grafana": field "expectStatus" must be an integer (got 200.5)""")]
    [InlineData("""{ "name": "grafana", "kind": "http", "url": "http://127.0.0.1:3000", "expectStatus": 999 }""", """checks.json: check #1 "grafana": field "expectStatus" must be an integer from 100 to 599 (got 999)""")]
    [InlineData("""{ "name": "grafana", "kind": "http", "url": "http://127.0.0.1:3000", "contains": 5 }""", """checks.json: check #1 "grafana": field "contains" must be a non-empty string (got 5)""")]
    [InlineData("""{ "name": "root", "kind": "disk", "mount": "/" }""", """checks.json: check #1 "root": missing required field "maxUsedPercent" (a number from 0 to 100)""")]
    [InlineData("""{ "name": "root", "kind": "disk", "maxUsedPercent": 90 }""", """checks.json: check #1 "root": missing required field "mount" (an absolute path, e.g. "/etc/nixos")""")]
    [InlineData("""{ "name": "root", "kind": "disk", "mount": "/", "maxUsedPercent": "90%" }""", """checks.json: check #1 "root": field "maxUsedPercent" must be a number (got "90%")""")]
    [InlineData("""{ "name": "root", "kind": "disk", "mount": "/", "maxUsedPercent": null }""", """checks.json: check #1 "root": field "maxUsedPercent" must be a number from 0 to 100 (got null)""")]
    [InlineData("""{ "name": "p", "kind": "systemd" }""", """checks.json: check #1 "p": missing required field "unit" (a unit name, e.g. "prometheus.service")""")]
    [InlineData("""{ "name": "p", "kind": "systemd", "unit": "--all" }""", """checks.json: check #1 "p": field "unit" must be a unit name, e.g. "prometheus.service" (got "--all")""")]
    [InlineData("""{ "name": "h", "kind": "doc-headers", "root": "/etc/nixos" }""", """checks.json: check #1 "h": missing required field "globs" (an array of patterns, e.g. ["**/*.nix"])""")]
    [InlineData("""{ "name": "h", "kind": "doc-headers", "globs": ["*.nix"] }""", """checks.json: check #1 "h": missing required field "root" (an absolute path, e.g. "/etc/nixos")""")]
    [InlineData("""{ "name": "h", "kind": "doc-headers", "root": "/etc/nixos", "globs": ["/etc/nixos/*.nix"] }""", """checks.json: check #1 "h": field "globs" item #1 must be relative to "root", e.g. "**/*.nix" (got "/etc/nixos/*.nix")""")]
    [InlineData("""{ "name": "h", "kind": "doc-headers", "root": "/etc/nixos", "globs": ["*.nix"], "exclude": "*.lock" }""", """checks.json: check #1 "h": field "exclude" must be an array of strings (got "*.lock")""")]
    [InlineData("""{ "name": "root", "kind": "disk", "mount": "/", "maxUsedPercent": 90, "timeoutSeconds": 0 }""", """checks.json: check #1 "root": field "timeoutSeconds" must be an integer from 1 to 86400 (got 0)""")]
    [InlineData("""{ "name": "root", "kind": "disk", "mount": "/", "maxUsedPercent": 90, "timeoutSeconds": "10s" }""", """checks.json: check #1 "root": field "timeoutSeconds" must be an integer (got "10s")""")]
    public void A_wrong_or_missing_field_is_named_with_what_was_expected(string check, string message)
    {
        // Act
        var error = Should.Throw<LedgerException>(() => Checklist.Parse(Checks(check), Source));

        // Assert
        error.Message.ShouldBe(message);
        error.ExitCode.ShouldBe(ExitCodes.UsageOrEnvironment);
    }

    [Fact]
    public void The_check_is_named_by_its_position_counting_from_one()
    {
        // Arrange
        var json = Checks(
            """{ "name": "root", "kind": "disk", "mount": "/", "maxUsedPercent": 90 }""",
            """{ "name": "targets", "kind": "prometheus-targets", "url": "http://127.0.0.1:9090" }""",
            """{ "name": "grafana", "kind": "http", "url": "http://127.0.0.1:3000", "expectStatus": "ok" }""");

        // Act
        var error = Should.Throw<LedgerException>(() => Checklist.Parse(json, Source));

        // Assert
        error.Message.ShouldBe("""checks.json: check #3 "grafana": field "expectStatus" must be an integer (got "ok")""");
    }

    [Fact]
    public void An_unknown_kind_lists_the_kinds_and_suggests_the_nearest()
    {
        // Act
        var error = Should.Throw<LedgerException>(() => Checklist.Parse(Checks("""{ "name": "grafana", "kind": "htpp", "url": "http://127.0.0.1:3000" }"""), Source));

        // Assert
        error.Message.ShouldBe("""checks.json: check #1 "grafana": unknown kind "htpp" (did you mean "http"?); kinds are: nixos-rebuild, containers, gpu, prometheus-targets, http, disk, systemd, doc-headers""");
    }

    [Fact]
    public void A_misspelt_field_is_an_error_not_silently_ignored()
    {
        // Act
        var error = Should.Throw<LedgerException>(() => Checklist.Parse(Checks("""{ "name": "root", "kind": "disk", "mount": "/", "maxUsedPrecent": 90 }"""), Source));

        // Assert
        error.Message.ShouldBe("""checks.json: check #1 "root": unknown field "maxUsedPrecent" for kind "disk" (did you mean "maxUsedPercent"?); its fields are: name, kind, timeoutSeconds, mount, maxUsedPercent""");
    }

    [Fact]
    public void A_field_of_another_kind_is_unknown_for_this_kind()
    {
        // Act
        var error = Should.Throw<LedgerException>(() => Checklist.Parse(Checks("""{ "name": "p", "kind": "systemd", "unit": "prometheus.service", "url": "http://127.0.0.1:9090" }"""), Source));

        // Assert
        error.Message.ShouldStartWith("""checks.json: check #1 "p": unknown field "url" for kind "systemd"; its fields are: """);
    }

    [Fact]
    public void A_field_written_twice_is_an_error()
    {
        // Act
        var error = Should.Throw<LedgerException>(() => Checklist.Parse(Checks("""{ "name": "root", "kind": "disk", "mount": "/", "mount": "/mnt/cold", "maxUsedPercent": 90 }"""), Source));

        // Assert
        error.Message.ShouldBe("""checks.json: check #1: field "mount" appears more than once""");
    }

    [Fact]
    public void Duplicate_names_are_an_error_naming_both_checks()
    {
        // Arrange
        var json = Checks(
            """{ "name": "grafana", "kind": "http", "url": "http://127.0.0.1:3000" }""",
            """{ "name": "root", "kind": "disk", "mount": "/", "maxUsedPercent": 90 }""",
            """{ "name": "Grafana", "kind": "http", "url": "http://127.0.0.1:3001" }""");

        // Act
        var error = Should.Throw<LedgerException>(() => Checklist.Parse(json, Source));

        // Assert
        error.Message.ShouldBe("""checks.json: check #3 "Grafana": field "name" must be unique, but check #1 has the same name (names are compared ignoring case)""");
    }

    [Theory]
    [InlineData("[]", """checks.json: the top level must be an object like { "checks": [ ... ] } (got [])""")]
    [InlineData("{}", """checks.json: missing required field "checks" (an array of checks)""")]
    [InlineData("""{ "checks": {} }""", """checks.json: field "checks" must be an array of checks (got {})""")]
    [InlineData("""{ "checks": [] }""", """checks.json: field "checks" is empty; list at least one check""")]
    [InlineData("""{ "check": [] }""", "checks.json: unknown top-level field \"check\" (did you mean \"checks\"?); the only top-level field is \"checks\"")]
    [InlineData("""{ "checks": [ "disk" ] }""", """checks.json: check #1: must be an object with "name" and "kind" (got "disk")""")]
    public void A_wrong_document_shape_is_named(string json, string message)
    {
        // Act
        var error = Should.Throw<LedgerException>(() => Checklist.Parse(json, Source));

        // Assert
        error.Message.ShouldBe(message);
    }

    [Fact]
    public void Invalid_json_names_the_line()
    {
        // Arrange
        var json = "{\n  \"checks\": [\n    { \"name\": \"root\" \"kind\": \"disk\" }\n  ]\n}";

        // Act
        var error = Should.Throw<LedgerException>(() => Checklist.Parse(json, "/var/lib/ledger/checks.json"));

        // Assert
        error.Message.ShouldStartWith("/var/lib/ledger/checks.json: not valid JSON at line 3, ");
        error.ExitCode.ShouldBe(ExitCodes.UsageOrEnvironment);
    }

    [Fact]
    public void Comments_and_trailing_commas_are_allowed()
    {
        // Arrange
        var json = """
            // Purpose: disk checks. Date: 2026-11-27. Rollback: git revert.
            { "checks": [ { "name": "root", "kind": "disk", "mount": "/", "maxUsedPercent": 90, /* df's Use% */ }, ], }
            """;

        // Act
        var checklist = Checklist.Parse(json, Source);

        // Assert
        checklist.Checks.Single().Name.ShouldBe("root");
    }

    [Fact]
    public void Selecting_checks_keeps_the_checklist_order_and_ignores_case()
    {
        // Arrange
        var checklist = Checklist.Parse(Checklist.Example, Source);

        // Act
        var selected = checklist.Select(["Grafana", "disk-root"]);

        // Assert
        selected.Select(c => c.Name).ShouldBe(["grafana", "disk-root"]);
        checklist.Select([]).ShouldBe(checklist.Checks);
    }

    [Fact]
    public void Selecting_an_unknown_check_lists_the_names()
    {
        // Arrange
        var checklist = Checklist.Parse(Checks("""{ "name": "grafana", "kind": "http", "url": "http://127.0.0.1:3000" }"""), Source);

        // Act
        var error = Should.Throw<LedgerException>(() => checklist.Select(["grafna"]));

        // Assert
        error.Message.ShouldBe("""checks.json: no check named "grafna" (did you mean "grafana"?); checks are: grafana""");
    }

    [Fact]
    public void Output_within_the_limit_is_kept_whole()
    {
        // Act
        var (text, truncated) = OutputLimit.KeepHead("short", 10);

        // Assert
        text.ShouldBe("short");
        truncated.ShouldBeFalse();
    }

    [Fact]
    public void Long_output_keeps_its_head_and_says_how_much_was_cut()
    {
        // Arrange
        var output = new string('a', 100) + new string('b', 12345);

        // Act
        var (text, truncated) = OutputLimit.KeepHead(output, 100);

        // Assert
        truncated.ShouldBeTrue();
        text.ShouldBe(new string('a', 100) + "\n[... output truncated by Ledger: 12345 more characters ...]\n");
    }

    [Fact]
    public void Long_build_output_keeps_its_tail_where_the_error_is()
    {
        // Arrange
        var output = new string('a', 500) + "error: attribute 'mediabox' missing";

        // Act
        var (text, truncated) = OutputLimit.KeepTail(output, 35);

        // Assert
        truncated.ShouldBeTrue();
        text.ShouldBe("[... output truncated by Ledger: 500 earlier characters ...]\nerror: attribute 'mediabox' missing");
    }

    [Fact]
    public void Truncation_does_not_split_a_character_outside_the_basic_plane()
    {
        // Arrange: "🎬" is two UTF-16 code units.
        var output = "ab🎬cd";

        // Act
        var (head, _) = OutputLimit.KeepHead(output, 3);
        var (tail, _) = OutputLimit.KeepTail(output, 3);

        // Assert
        head.ShouldStartWith("ab\n[... output truncated by Ledger: 4 more");
        tail.ShouldEndWith("...]\ncd");
    }

    [Fact]
    public void An_outcome_becomes_the_validation_run_event()
    {
        // Arrange
        var check = new HttpCheck("grafana", TimeSpan.FromSeconds(10), new Uri("http://127.0.0.1:3000/api/health"), 200, null);
        var outcome = CheckOutcome.Fail("answered 500", [new Finding("http://127.0.0.1:3000/api/health", "answered 500, expected 200")], "oops")
            with
        { Duration = TimeSpan.FromMilliseconds(42), OutputTruncated = true };

        // Act
        var run = outcome.ToValidationRun(check, "mediabox", "root", "abc123", "run-1");

        // Assert
        run.ShouldBe(new ValidationRun("mediabox", "root", "grafana", "http", ValidationStatus.Fail, 42, "answered 500", outcome.Findings, "oops", true, "abc123", "run-1"));
    }

    [Fact]
    public void A_timed_out_outcome_is_an_error_saying_after_how_long()
    {
        // Act
        var outcome = CheckOutcome.TimedOut(TimeSpan.FromSeconds(10));

        // Assert
        outcome.Status.ShouldBe(ValidationStatus.Error);
        outcome.Summary.ShouldBe("timed out after 10s");
    }

    [Theory]
    [InlineData(new[] { ValidationStatus.Pass, ValidationStatus.Pass }, 0)]
    [InlineData(new[] { ValidationStatus.Pass, ValidationStatus.Fail }, 1)]
    [InlineData(new[] { ValidationStatus.Error, ValidationStatus.Fail }, 1)]
    [InlineData(new[] { ValidationStatus.Pass, ValidationStatus.Error }, 2)]
    public void The_exit_code_is_0_all_passed_1_any_failed_2_could_not_run(ValidationStatus[] statuses, int exitCode)
    {
        // Act & Assert
        ValidationExitCode.For(statuses).ShouldBe(exitCode);
    }

    private static string Checks(params string[] checks) => $$"""{ "checks": [ {{string.Join(",\n", checks)}} ] }""";
}
