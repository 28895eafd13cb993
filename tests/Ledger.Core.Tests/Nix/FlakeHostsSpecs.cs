using Ledger.Core.Nix;

namespace Ledger.Core.Tests.Nix;

public class FlakeHostsSpecs
{
    [Fact]
    public void An_attribute_set_of_configurations_names_each_host_but_not_what_is_inside_them()
    {
        const string Flake = """
            {
              inputs.nixpkgs.url = "github:nixos/nixpkgs/nixos-24.11";
              outputs = { self, nixpkgs, ... }@inputs: let lib = nixpkgs.lib; in {
                nixosConfigurations = {
                  # Main desktop
                  atlas = lib.nixosSystem { modules = [ ./hosts/atlas ]; specialArgs = { inherit inputs; }; };
                  "media-box" = lib.nixosSystem { modules = [ ./hosts/media-box { networking.hostName = "x"; } ]; };
                  inherit (self.lib) legacy;
                  pi.modules = [ ./hosts/pi ];
                };
                homeConfigurations."me@atlas" = { };
              };
            }
            """;

        FlakeHosts.Names(Flake).ShouldBe(["atlas", "legacy", "media-box", "pi"]);
    }

    [Fact]
    public void Dotted_definitions_name_hosts_and_comments_and_strings_do_not()
    {
        const string Flake = """
            {
              outputs = { nixpkgs, ... }: {
                # nixosConfigurations.commented = ...;
                /* nixosConfigurations.blocked = ...; */
                description = "nixosConfigurations.quoted = 1;";
                script = ''
                  nixosConfigurations.indented = ''${x};
                '';
                nixosConfigurations.vm-aarch64 = mkSystem "vm-aarch64" { system = "aarch64-linux"; };
                nixosConfigurations."wsl" = mkSystem "wsl" { };
                darwinConfigurations.macbook-pro-m1 = mkSystem "macbook-pro-m1" { darwin = true; };
              };
            }
            """;

        FlakeHosts.Names(Flake).ShouldBe(["macbook-pro-m1", "vm-aarch64", "wsl"]);
    }

    [Fact]
    public void A_computed_set_names_nothing()
    {
        const string Flake = "{ outputs = { nixpkgs, ... }: { nixosConfigurations = nixpkgs.lib.genAttrs (builtins.attrNames (builtins.readDir ./hosts)) mkHost; }; }";

        FlakeHosts.Names(Flake).ShouldBeEmpty();
    }

    [Fact]
    public void Unbalanced_text_does_not_throw()
    {
        FlakeHosts.Names("{ nixosConfigurations = { a = { ").ShouldBe(["a"]);
        FlakeHosts.Names("nixosConfigurations.\"unterminated").ShouldBe(["unterminated"]);
    }
}
