# Ledger as a flake: the package, the NixOS module and a development shell.
# How to use it from a NixOS configuration: docs/nixos.md.
{
  description = "Ledger: an event-sourced audit ledger for NixOS servers";

  # .NET 10 (dotnetCorePackages.sdk_10_0) is needed; point it at your system's nixpkgs with
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
