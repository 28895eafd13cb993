namespace Ledger.IntegrationTests.Support;

/// <summary>A version 7 flake.lock pinning nixpkgs (a direct input) at a rev, as nix writes one.</summary>
public static class FlakeLockText
{
    public static string Of(string rev, long lastModified, string reference = "nixos-24.05") =>
        $$"""
        {
          "nodes": {
            "nixpkgs": {
              "locked": { "lastModified": {{lastModified}}, "narHash": "sha256-{{rev}}", "owner": "NixOS", "repo": "nixpkgs", "rev": "{{rev}}", "type": "github" },
              "original": { "owner": "NixOS", "ref": "{{reference}}", "repo": "nixpkgs", "type": "github" }
            },
            "root": { "inputs": { "nixpkgs": "nixpkgs" } }
          },
          "root": "root",
          "version": 7
        }

        """;
}
