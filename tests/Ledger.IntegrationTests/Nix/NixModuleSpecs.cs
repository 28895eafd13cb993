using System.Text.RegularExpressions;
using Ledger.IntegrationTests.Support;

namespace Ledger.IntegrationTests.Nix;

/// <summary>
/// nix/module.nix and docs/nixos.md agree: every option the module declares is documented, and
/// the documentation's option table names no option that does not exist. Needs no Nix.
/// </summary>
public sealed partial class NixModuleSpecs
{
    private static readonly string Root = Checkout.Root;

    private static IReadOnlyList<string> ModuleOptions() =>
        NixOptionPaths.Read(File.ReadAllText(Path.Combine(Root, "nix", "module.nix")));

    private static string Docs() => File.ReadAllText(Path.Combine(Root, "docs", "nixos.md"));

    [Fact]
    public void Every_option_of_the_module_is_documented_in_nixos_md()
    {
        var docs = Docs();

        var missing = ModuleOptions().Where(o => !docs.Contains($"`services.ledger.{o}`", StringComparison.Ordinal)).ToList();

        missing.ShouldBeEmpty("docs/nixos.md must name each option as `services.ledger.NAME`");
    }

    [Fact]
    public void The_option_table_of_nixos_md_lists_only_options_the_module_declares()
    {
        var declared = ModuleOptions().ToHashSet(StringComparer.Ordinal);

        var documented = Docs().Split('\n')
            .Select(line => TableOption().Match(line))
            .Where(m => m.Success)
            .Select(m => m.Groups["path"].Value)
            .ToList();

        documented.ShouldNotBeEmpty();
        documented.Where(d => !declared.Contains(d)).ShouldBeEmpty("rows of the option table that module.nix does not declare");
        documented.Count.ShouldBe(documented.Distinct().Count(), "each option has one row");
    }

    [Fact]
    public void The_reader_finds_the_options_the_issue_asks_for()
    {
        var options = ModuleOptions();

        options.ShouldBeUnique();
        options.ShouldContain("enable");
        options.ShouldContain("package");
        options.ShouldContain("repoPath");
        options.ShouldContain("hostName");
        options.ShouldContain("database.createLocally");
        options.ShouldContain("database.connectionStringFile");
        options.ShouldContain("checks");
        options.ShouldContain("snapshots.gpu");
        options.ShouldContain("storage.mounts");
        options.ShouldContain("storage.mounts.*.path");
        options.ShouldContain("storage.mounts.*.tier");
        options.ShouldContain("webhook.address");
        options.ShouldContain("webhook.port");
        options.ShouldContain("webhook.openFirewall");
        options.ShouldContain("webhook.settings.intervals");
        options.ShouldContain("webhook.settings.grafana.tokenFile");
        options.ShouldContain("webhook.tokenFile");
        options.ShouldContain("docsDir");
        options.ShouldContain("reports.dir");
        options.ShouldContain("reports.monthly.onCalendar");
        options.ShouldContain("seal.enable");
        options.ShouldContain("gitHook.enable");
    }

    [Fact]
    public void The_reader_follows_nesting_and_ignores_strings_comments_and_the_config_section()
    {
        const string Module = """
            { config, lib, pkgs, ... }:
            with lib;
            let cfg = config.services.ledger; in
            {
              options.services.ledger = {
                enable = lib.mkEnableOption "it";
                # fake = mkOption { };
                database = {
                  file = mkOption {
                    type = types.nullOr types.str;
                    description = "not = mkOption { here }";
                    example = { nested = { deep = 1; }; };
                  };
                };
                a.b = mkOption {
                  type = types.listOf (types.submodule ({ name, ... }: {
                    options = {
                      c = mkOption { description = ''
                        braces { } in strings do not count, nor ''${ escapes } or ''' = mkOption { '''
                      ''; };
                    };
                  }));
                };
                pkg = mkPackageOption pkgs "hello" { };
                s = mkOption {
                  type = types.submodule {
                    options.x = mkOption { type = types.attrsOf types.int; };
                    options.y = mkOption { type = types.nullOr (types.submodule { options = { z = mkOption { }; }; }); };
                  };
                };
              };
              config = lib.mkIf cfg.enable { other = mkOption { }; };
            }
            """;

        NixOptionPaths.Read(Module).ShouldBe(["enable", "database.file", "a.b", "a.b.*.c", "pkg", "s", "s.x", "s.y", "s.y.z"]);
    }

    // A row of the option table: | `services.ledger.NAME` | type | default | meaning |
    [GeneratedRegex(@"^\|\s*`services\.ledger\.(?<path>[^`]+)`\s*\|")]
    private static partial Regex TableOption();
}
