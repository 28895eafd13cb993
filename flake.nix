# Ledger as a flake: the package, the NixOS module, checks and a development shell.
# How to use it from a NixOS configuration: docs/nixos.md.
{
  description = "Ledger: an event-sourced audit ledger for NixOS servers";

  # .NET 10 (dotnetCorePackages.sdk_10_0) is needed; flake.lock pins a nixos-unstable that has
  # it. Point it at your system's nixpkgs with
  #   inputs.ledger.inputs.nixpkgs.follows = "nixpkgs";
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";

  outputs =
    { self, nixpkgs }:
    let
      systems = [
        "x86_64-linux"
        "aarch64-linux"
      ];
      forAllSystems = f: nixpkgs.lib.genAttrs systems (system: f nixpkgs.legacyPackages.${system});
    in
    {
      packages = forAllSystems (pkgs: rec {
        ledger = pkgs.callPackage ./nix/package.nix { };
        default = ledger;
      });

      nixosModules.default =
        { lib, pkgs, ... }:
        {
          imports = [ ./nix/module.nix ];
          # The package built by this flake (its pinned nixpkgs), unless the configuration sets one.
          services.ledger.package = lib.mkDefault self.packages.${pkgs.stdenv.hostPlatform.system}.default;
        };
      nixosModules.ledger = self.nixosModules.default;

      # nix flake check: the package builds (its unit tests run in doCheck), the module evaluates
      # with nixpkgs' lib (nix/tests/module-eval.nix, as the test suite and CI do) and the VM test
      # boots a machine with services.ledger (nix/tests/vm.nix; x86_64-linux with KVM).
      checks = forAllSystems (
        pkgs:
        let
          inherit (pkgs.stdenv.hostPlatform) system;
        in
        {
          package = self.packages.${system}.default;
          module-eval = import ./nix/tests/module-check.nix { inherit pkgs; };
        }
        // nixpkgs.lib.optionalAttrs (system == "x86_64-linux") {
          vm = import ./nix/tests/vm.nix {
            inherit pkgs;
            module = self.nixosModules.default;
          };
        }
      );

      devShells = forAllSystems (pkgs: {
        default = pkgs.mkShell {
          packages = [
            pkgs.dotnetCorePackages.sdk_10_0
            pkgs.postgresql
            pkgs.git
            pkgs.python3 # nix/update-deps.py, bench/make-nixos-history.py
          ];
          DOTNET_CLI_TELEMETRY_OPTOUT = "1";
        };
      });
    };
}
