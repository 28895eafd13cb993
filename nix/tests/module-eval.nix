# Evaluates nix/module.nix with nixpkgs' own lib.evalModules and minimal stubs of the NixOS
# options and packages it uses, without nixpkgs (issue 21). The tests
# (tests/Ledger.IntegrationTests/Nix/NixModuleEvalSpecs.cs) and CI run it as
#   nix-instantiate --eval --strict --json nix/tests/module-eval.nix \
#     --arg lib 'import ../shared/nixpkgs-lib/lib' --arg configuration '{ services.ledger.enable = true; }'
# and read what a NixOS system would be built from: units, timers, tmpfiles, PostgreSQL,
# firewall, /etc files (with their text), users, failed assertions and warnings. A wrong value
# fails the evaluation with the module system's message, which names the option.
{
  lib,
  configuration,
}:
let
  # A derivation as far as the module can tell: a store path with a name (and the text of the
  # files the module writes, for the tests to read).
  drv =
    name: extra:
    {
      type = "derivation";
      inherit name;
      outPath = "/nix/store/00000000000000000000000000000000-${name}";
    }
    // extra;

  package = name: drv name { meta.mainProgram = name; };

  # pkgs.formats.json's value type, as nixpkgs defines it.
  jsonValue =
    with lib.types;
    let
      valueType =
        nullOr (oneOf [
          bool
          int
          float
          str
          path
          (attrsOf valueType)
          (listOf valueType)
        ])
        // {
          description = "JSON value";
        };
    in
    valueType;

  pkgs = {
    formats.json = _: {
      type = jsonValue;
      generate = name: value: drv name { text = builtins.toJSON value; };
    };
    writeText = name: text: drv name { inherit text; };
    writeShellScript = name: text: drv name { inherit text; };
    writeShellScriptBin = name: text: drv name { inherit text; };
    runCommand =
      name: env: script:
      drv name { inherit script; };
    callPackage = _: _: package "ledger";
    coreutils = package "coreutils";
    git = package "git";
    curl = package "curl";
    gnugrep = package "gnugrep";
    stdenv.hostPlatform.system = "x86_64-linux";
  };

  # nixpkgs' nixos/lib/utils.nix, the part the module uses.
  utils = rec {
    escapeSystemdExecArg =
      arg:
      let
        s =
          if builtins.isPath arg then
            "${arg}"
          else if builtins.isString arg then
            arg
          else if builtins.isInt arg || builtins.isFloat arg || lib.isDerivation arg then
            toString arg
          else
            throw "escapeSystemdExecArg only allows strings, paths, numbers and derivations";
      in
      builtins.replaceStrings [ "%" "$" ] [ "%%" "$$" ] (builtins.toJSON s);
    escapeSystemdExecArgs = lib.concatMapStringsSep " " escapeSystemdExecArg;
  };

  # The NixOS options module.nix sets or reads, with the types that matter for merging.
  stubs =
    { lib, ... }:
    with lib;
    let
      any = mkOption {
        type = types.attrsOf types.anything;
        default = { };
      };
    in
    {
      options = {
        assertions = mkOption {
          type = types.listOf types.unspecified;
          default = [ ];
        };
        warnings = mkOption {
          type = types.listOf types.str;
          default = [ ];
        };
        meta = mkOption {
          type = types.attrsOf types.anything;
          default = { };
        };
        users.users = any;
        users.groups = any;
        networking.hostName = mkOption {
          type = types.str;
          default = "mediabox";
        };
        networking.firewall.allowedTCPPorts = mkOption {
          type = types.listOf types.port;
          default = [ ];
        };
        services.xserver.videoDrivers = mkOption {
          type = types.listOf types.str;
          default = [ ];
        };
        virtualisation.podman.enable = mkOption {
          type = types.bool;
          default = false;
        };
        # Set by the VM test's machine (nix/tests/vm.nix).
        virtualisation.memorySize = mkOption {
          type = types.int;
          default = 1024;
        };
        services.postgresql = {
          enable = mkOption {
            type = types.bool;
            default = false;
          };
          ensureDatabases = mkOption {
            type = types.listOf types.str;
            default = [ ];
          };
          ensureUsers = mkOption {
            type = types.listOf types.anything;
            default = [ ];
          };
          identMap = mkOption {
            type = types.lines;
            default = "";
          };
          authentication = mkOption {
            type = types.lines;
            default = "";
          };
        };
        environment.systemPackages = mkOption {
          type = types.listOf types.anything;
          default = [ ];
        };
        environment.etc = any;
        systemd.package = mkOption {
          type = types.anything;
          default = package "systemd";
        };
        systemd.services = any;
        systemd.timers = any;
        systemd.tmpfiles.settings = any;
      };
    };

  evaluated = lib.evalModules {
    specialArgs = { inherit pkgs utils; };
    modules = [
      stubs
      ../module.nix
      configuration
    ];
  };

  inherit (evaluated) config;

  # Store paths as strings, the text of files the module writes beside them.
  shown = value: if lib.isDerivation value then value.text or value.script or value.outPath else value;
  failedAssertions = map (a: a.message) (builtins.filter (a: !a.assertion) config.assertions);
in
# A system with failed assertions is not built, and its units may not evaluate (a missing secret
# file has no path to put in ExecStart): report the assertions alone, as nixos-rebuild would.
if failedAssertions != [ ] then
  {
    inherit failedAssertions;
    inherit (config) warnings;
  }
else
{
  inherit failedAssertions;
  inherit (config) warnings;
  services = config.systemd.services;
  timers = config.systemd.timers;
  tmpfiles = config.systemd.tmpfiles.settings;
  postgresql = config.services.postgresql;
  firewall = config.networking.firewall.allowedTCPPorts;
  etc = builtins.mapAttrs (_: file: shown file.source) config.environment.etc;
  users = config.users;
  maintainers = config.meta.maintainers or null;
  # The text of each package the module puts on PATH (the `ledger` wrapper).
  systemPackages = map shown config.environment.systemPackages;
}
