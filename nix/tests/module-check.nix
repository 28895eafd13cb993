# checks.<system>.module-eval of flake.nix: nix/module.nix evaluated with nixpkgs' lib.evalModules
# (nix/tests/module-eval.nix) for the default and a full configuration, and refused for a secret
# in the Nix store. The evaluation happens while the check is instantiated, so a failed
# assertion, a type error or a refusal that does not happen fails `nix flake check`. The test
# suite runs the same evaluation with many more cases (NixModuleEvalSpecs).
{ pkgs }:
let
  inherit (pkgs) lib;
  evaluate = configuration: import ./module-eval.nix { inherit lib configuration; };

  default = evaluate { services.ledger.enable = true; };
  full = evaluate {
    services.ledger = {
      enable = true;
      users = [ "alice" ];
      snapshots.gpu = "15min";
      snapshots.containers = "15min";
      webhook = {
        enable = true;
        port = 9988;
        openFirewall = true;
        tokenFile = "/run/secrets/ledger-webhook-token";
        settings.intervals.validate = 3600;
      };
      docs.enable = true;
      reports.monthly.enable = true;
      seal.enable = true;
    };
  };
  storeSecret = builtins.tryEval (
    builtins.toJSON (evaluate {
      services.ledger = {
        enable = true;
        database.createLocally = false;
        database.connectionStringFile = "${pkgs.writeText "ledger-db" "Host=db"}";
      };
    })
  );

  expect =
    name: ok:
    if ok then
      name
    else
      throw "nix/tests/module-check.nix: ${name}";
  facts = [
    (expect "the default configuration has no failed assertion" (default.failedAssertions == [ ]))
    (expect "the full configuration has no failed assertion" (full.failedAssertions == [ ]))
    (expect "the serve unit filters system calls" (
      lib.elem "@system-service" full.services.ledger.serviceConfig.SystemCallFilter
    ))
    (expect "the serve unit hides other processes" (full.services.ledger.serviceConfig.ProtectProc == "invisible"))
    (expect "users log in as ledger_app" (lib.hasInfix "alice ledger_app" full.postgresql.identMap))
    (expect "the firewall opens the daemon's port" (full.firewall == [ 9988 ]))
    (expect "a secret file in the Nix store is refused" (!storeSecret.success))
  ];
in
pkgs.runCommand "ledger-module-eval" { passAsFile = [ "facts" ]; facts = lib.concatLines facts; } ''
  cat "$factsPath"
  cp "$factsPath" $out
''
