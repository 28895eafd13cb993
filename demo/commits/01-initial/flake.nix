# Purpose: Flake entry point for the mediabox NixOS configuration.
# Date: 2026-10-03
# Rollback: ledger restore --to <seq> or git revert <commit>
#
# Deploy:  sudo nixos-rebuild switch --flake .#mediabox
# Update:  nix flake update && sudo nixos-rebuild boot --flake .#mediabox  (stays on 24.11)
{
  description = "NixOS configuration for mediabox (home media + monitoring server)";

  inputs = {
    # Stable release. Moving to the next release is a deliberate edit here, not a flake update.
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
  };

  outputs = { self, nixpkgs, ... }: {
    nixosConfigurations.mediabox = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [
        ./configuration.nix
        {
          # Lets `nixos-version --configuration-revision` show which commit is deployed.
          system.configurationRevision = self.rev or self.dirtyRev or "unknown";
        }
      ];
    };
  };
}
