using Ledger.Capture.Checks;
using Ledger.Core.Events;
using Ledger.Core.Validation;
using Ledger.IntegrationTests.Support;

namespace Ledger.IntegrationTests.Checks;

public sealed class DocHeadersCheckSpecs : IDisposable
{
    private const string GoodNix = """
        # Purpose: Jellyfin with NVENC transcoding for the living-room TV.
        # Date: 2026-11-27
        # Rollback: git revert this commit, then nixos-rebuild switch.
        { config, pkgs, ... }:
        {
          services.jellyfin.enable = true;
        }
        """;

    private readonly TempDirectory _root = new("ledger-nixos");

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task Files_with_purpose_date_and_rollback_pass()
    {
        // Arrange
        Write("configuration.nix", GoodNix);
        Write("modules/monitoring.nix", """
            /*
             * PURPOSE: Prometheus and Grafana for the media box.
             * 2026-11-01, roll back with `nixos-rebuild switch --rollback`.
             */
            { ... }: { }
            """);
        Write("scripts/backup.sh", """
            #!/usr/bin/env bash
            # Purpose: nightly restic backup of /srv/media metadata.
            # Date: 2026-10-02
            # Roll back: disable the backup timer in modules/backup.nix.
            set -euo pipefail
            """);

        // Act
        var outcome = await new CheckRunner().RunAsync(Check());

        // Assert
        outcome.Status.ShouldBe(ValidationStatus.Pass);
        outcome.Summary.ShouldBe("all 3 files have a header naming purpose, date and rollback");
        outcome.Output.ShouldBe("ok      configuration.nix\nok      modules/monitoring.nix\nok      scripts/backup.sh");
    }

    [Fact]
    public async Task Each_file_lacking_part_of_its_header_is_named_with_what_it_lacks()
    {
        // Arrange
        Write("configuration.nix", GoodNix);
        Write("hosts/mediabox/jellyfin.nix", """
            # Purpose: Jellyfin.
            # Rollback: git revert.
            { ... }: { }
            """);
        Write("hosts/mediabox/sonarr.nix", """
            # Purpose: Sonarr in podman.
            # Changed on 2026-13-45, a date that does not exist.
            { ... }: { }
            """);
        Write("modules/gpu.nix", """
            { ... }:
            # Purpose: comments after the code are not a header. Date: 2026-11-27. Rollback: revert.
            { }
            """);
        Write("scripts/restart-arr.sh", """
            #!/bin/sh
            # restarts the arr stack
            podman restart sonarr radarr
            """);
        Write("hardware-configuration.nix", "{ ... }: { }\n");
        Write("hosts/mediabox/hardware-configuration.nix", "{ ... }: { }\n");
        Write("README.md", "# Not matched by the globs\n");

        // Act
        var outcome = await new CheckRunner().RunAsync(Check());

        // Assert
        outcome.Status.ShouldBe(ValidationStatus.Fail);
        outcome.Summary.ShouldBe("4 of 5 files lack a complete header: hosts/mediabox/jellyfin.nix, hosts/mediabox/sonarr.nix, modules/gpu.nix, ...");
        outcome.Findings.ShouldBe(
        [
            new Finding("hosts/mediabox/jellyfin.nix", "header comment lacks a date (YYYY-MM-DD)"),
            new Finding("hosts/mediabox/sonarr.nix", "header comment lacks a date (YYYY-MM-DD) and how to roll back"),
            new Finding("modules/gpu.nix", "has no header comment; start it with comment lines naming its purpose, the date (YYYY-MM-DD) and how to roll back"),
            new Finding("scripts/restart-arr.sh", "header comment lacks a purpose and a date (YYYY-MM-DD) and how to roll back"),
        ]);
    }

    [Fact]
    public async Task An_exclude_pattern_without_a_folder_matches_only_at_the_root()
    {
        // Arrange
        Write("configuration.nix", GoodNix);
        Write("hardware-configuration.nix", "{ ... }: { }\n");
        Write("hosts/mediabox/hardware-configuration.nix", "{ ... }: { }\n");

        // Act
        var outcome = await new CheckRunner().RunAsync(Check() with { Exclude = ["hardware-configuration.nix"] });

        // Assert
        outcome.Findings.Select(f => f.Subject).ShouldBe(["hosts/mediabox/hardware-configuration.nix"]);
    }

    [Fact]
    public async Task A_missing_root_is_an_error()
    {
        // Act
        var outcome = await new CheckRunner().RunAsync(Check() with { Root = "/nonexistent/nixos" });

        // Assert
        outcome.Status.ShouldBe(ValidationStatus.Error);
        outcome.Summary.ShouldBe("/nonexistent/nixos does not exist");
    }

    [Fact]
    public async Task Globs_that_match_nothing_are_an_error()
    {
        // Arrange
        Write("README.md", "# Notes\n");

        // Act
        var outcome = await new CheckRunner().RunAsync(Check());

        // Assert
        outcome.Status.ShouldBe(ValidationStatus.Error);
        outcome.Summary.ShouldBe($"no file under {_root.Path} matches **/*.nix, scripts/*.sh");
    }

    private DocHeadersCheck Check() =>
        new("headers", TimeSpan.FromSeconds(10), _root.Path, ["**/*.nix", "scripts/*.sh"], ["**/hardware-configuration.nix"]);

    private void Write(string relative, string text)
    {
        var path = Path.Combine(_root.Path, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
