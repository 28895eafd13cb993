using Ledger.Core.Nix;

namespace Ledger.Core.Tests.Nix;

public class HostLayoutSpecs
{
    private static readonly IReadOnlySet<string> NoNames = new HashSet<string>();

    [Fact]
    public void Without_declared_names_every_host_folder_directory_but_the_shared_ones_is_a_host()
    {
        var layout = HostLayout.Detect(NoNames, ["hosts/atlas/", "hosts/pleione/", "hosts/common/", "hosts/_lib/", "hosts/default.nix"]);

        layout.Hosts.ShouldBe(["atlas", "pleione"]);
    }

    [Fact]
    public void Declared_names_pick_the_hosts_among_directories_and_files()
    {
        var layout = HostLayout.Detect(
            new HashSet<string> { "vm-aarch64", "wsl", "nowhere" },
            ["machines/vm-aarch64.nix", "machines/wsl.nix", "machines/vm-shared.nix", "machines/hardware/"]);

        layout.Hosts.ShouldBe(["vm-aarch64", "wsl"]);
        Touched(layout, ["machines/wsl.nix"]).ShouldBe("wsl");
        Touched(layout, ["machines/vm-shared.nix"]).ShouldBe("+shared");
        Touched(layout, ["machines/hardware/vm-aarch64.nix"]).ShouldBe("+shared");
    }

    [Fact]
    public void Declared_names_that_match_no_entry_fall_back_to_the_directories()
    {
        var layout = HostLayout.Detect(new HashSet<string> { "nixos-desktop" }, ["hosts/desktop/", "hosts/common/"]);

        layout.Hosts.ShouldBe(["desktop"]);
    }

    [Fact]
    public void A_change_inside_one_host_touches_only_it_and_anything_else_is_shared()
    {
        var layout = HostLayout.Detect(NoNames, ["hosts/atlas/", "hosts/atlas-old/", "systems/x86_64-linux/pi/"]);

        Touched(layout, ["hosts/atlas/default.nix", "hosts/atlas/hardware.nix"]).ShouldBe("atlas");
        Touched(layout, ["hosts/atlas-old/default.nix"]).ShouldBe("atlas-old");
        Touched(layout, ["systems/x86_64-linux/pi/default.nix", "hosts/atlas/x.nix"]).ShouldBe("atlas,pi");
        Touched(layout, ["hosts/atlas/x.nix", "flake.lock"]).ShouldBe("atlas+shared");
        Touched(layout, ["hosts/atlasx.nix"]).ShouldBe("+shared");
    }

    [Fact]
    public void A_configured_layout_is_used_as_given()
    {
        var layout = new HostLayout([("web", "srv/web"), ("web", "extra/web.nix"), ("db", "srv/db/")]);

        layout.Hosts.ShouldBe(["db", "web"]);
        Touched(layout, ["srv/web/nginx.nix", "extra/web.nix"]).ShouldBe("web");
        Touched(layout, ["srv/webby/x.nix"]).ShouldBe("+shared");
    }

    /// <summary>The touched hosts joined by commas, then <c>+shared</c> when the change is shared.</summary>
    private static string Touched(HostLayout layout, string[] paths)
    {
        var (hosts, shared) = layout.Touched(paths);
        return string.Join(',', hosts) + (shared ? "+shared" : "");
    }
}
