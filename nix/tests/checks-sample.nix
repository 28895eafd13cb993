# A services.ledger.checks sample with every kind of check, rendered by ../checks-to-json.nix.
# CI (.ci/nix-checks.sh) evaluates it with
#   nix-instantiate --eval --strict --json nix/tests/checks-sample.nix
# writes "json" to a file, and runs `ledger validate --config FILE --parse-only --json` on it:
# ledger must accept every check, and list them in the order given in "expected".
let
  checksToJson = import ../checks-to-json.nix;

  checks = {
    nixos-rebuild-test = {
      kind = "nixos-rebuild";
      mode = "test";
      flake = ".#mediabox";
      repo = "/etc/nixos";
      timeoutSeconds = 900;
      # Runs first: it activates the configuration that the other checks look at.
      order = 0;
    };
    containers = {
      kind = "containers";
      expected = [
        "jellyfin"
        "sonarr"
        "radarr"
      ];
      maxRestarts = 3;
      order = 10;
    };
    gpu = {
      kind = "gpu";
      minUtilizationPercent = null; # null: left out, ledger's default applies
      order = 10;
    };
    prometheus-targets = {
      kind = "prometheus-targets";
      url = "http://127.0.0.1:9090";
    };
    grafana = {
      name = "grafana"; # allowed when it agrees with the attribute name
      kind = "http";
      url = "http://127.0.0.1:3000/api/health";
      expectStatus = 200;
      contains = "\"database\": \"ok\"";
    };
    dashboard-8501 = {
      kind = "http";
      url = "http://127.0.0.1:8501";
    };
    disk-root = {
      kind = "disk";
      mount = "/";
      maxUsedPercent = 90;
    };
    disk-cold = {
      kind = "disk";
      mount = "/mnt/cold";
      maxUsedPercent = 95.5;
    };
    prometheus-service = {
      kind = "systemd";
      unit = "prometheus.service";
    };
    doc-headers = {
      kind = "doc-headers";
      root = "/etc/nixos";
      globs = [
        "**/*.nix"
        "scripts/*.sh"
      ];
      exclude = [ "**/hardware-configuration.nix" ];
      timeoutSeconds = 30;
    };
  };
in
{
  json = checksToJson checks;

  # By order (default 1000), then by name.
  expected = [
    "nixos-rebuild-test"
    "containers"
    "gpu"
    "dashboard-8501"
    "disk-cold"
    "disk-root"
    "doc-headers"
    "grafana"
    "prometheus-service"
    "prometheus-targets"
  ];
}
