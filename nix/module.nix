# services.ledger: Ledger on a NixOS server. Every option is documented in docs/nixos.md
# (tests/Ledger.IntegrationTests/Nix/NixModuleSpecs.cs checks that none is missing).
#
# What it sets up:
# - a `ledger` system user and group, state in /var/lib/ledger (LEDGER_HOME);
# - the database: a local PostgreSQL database `ledger` reached over /run/postgresql with peer
#   authentication, or a connection string read at run time from a file (never the Nix store);
# - /etc/ledger/checks.json (from `checks`, checked with `ledger validate --parse-only` at build
#   time) and /etc/ledger/storage.json (from `storage.mounts`), linked into /var/lib/ledger;
# - the `ledger` command on PATH, preset to the same database, home and host;
# - the git post-commit hook in repoPath, and a catch-up import of the history at boot;
# - timers: snapshots; and, once the commands exist, seal, the monthly report and the change docs;
# - `ledger serve` (Alertmanager webhook, /metrics, /healthz, schedules), when enabled, with
#   /etc/ledger/serve.json from `webhook.settings`.
{
  config,
  lib,
  pkgs,
  utils,
  ...
}:
let
  inherit (lib)
    literalExpression
    literalMD
    mkDefault
    mkEnableOption
    mkIf
    mkOption
    optional
    optionalAttrs
    optionals
    types
    ;

  cfg = config.services.ledger;

  # Values that end up in unit files, tmpfiles and the hook, checked here so that a typo fails
  # the evaluation naming the option instead of producing a broken unit.
  hostNameType = types.strMatching "[A-Za-z0-9][A-Za-z0-9._-]{0,62}" // {
    description = "host name (letters, digits, '.', '_', '-'; at most 63 characters)";
  };
  userNameType = types.strMatching "[a-z_][a-z0-9_-]{0,30}[$]?" // {
    description = "user name";
  };
  timeSpanType =
    types.strMatching "([0-9]+(\\.[0-9]+)? *(us|usec|ms|msec|s|sec|second|seconds|m|min|minute|minutes|h|hr|hour|hours|d|day|days|w|week|weeks|M|month|months|y|year|years)? *)+"
    // {
      description = "systemd time span (e.g. 15min, 1h, 1h 30min)";
    };
  # A secret file: an absolute path outside the Nix store, given as a string (a Nix path would
  # be copied into the world-readable store).
  secretFileType = types.externalPath;
  folderType = types.externalPath;

  checksToJson = import ./checks-to-json.nix;

  stateDir = "/var/lib/ledger";
  localDb = cfg.database.createLocally;
  # Two roles in the local database: `ledger` owns the tables and is used only by
  # ledger-db-setup (schema creation and upgrades, the append-only guards, the grants);
  # `ledger_app` is what the units, root and `users` log in as: it may read and append events
  # and seal, but not update, delete or switch off the guard triggers (docs/operations.md,
  # "Append-only").
  ownerRole = "ledger";
  appRole = "ledger_app";
  localConnectionString = role: "Host=/run/postgresql;Username=${role};Database=ledger";

  # The `ledger` the units run. With database.connectionStringFile the connection string arrives
  # as the systemd credential "db" (LoadCredential) and is read here, at run time.
  runLedger = pkgs.writeShellScript "ledger-unit" ''
    if [ -n "''${CREDENTIALS_DIRECTORY:-}" ] && [ -r "$CREDENTIALS_DIRECTORY/db" ]; then
      LEDGER_DB=$(cat "$CREDENTIALS_DIRECTORY/db")
      export LEDGER_DB
    fi
    exec ${lib.getExe cfg.package} "$@"
  '';

  # The `ledger` on PATH: the services' database, home and host, unless the caller sets them.
  ledgerCommand = pkgs.writeShellScriptBin "ledger" (
    ''
      # services.ledger: the same database, home and host as the ledger services.
      export LEDGER_HOME="''${LEDGER_HOME:-${stateDir}}"
      export LEDGER_HOST="''${LEDGER_HOST:-${cfg.hostName}}"
    ''
    + (
      if localDb then
        ''
          export LEDGER_DB="''${LEDGER_DB:-${localConnectionString appRole}}"
        ''
      else
        ''
          if [ -z "''${LEDGER_DB:-}" ]; then
            if [ -r ${lib.escapeShellArg cfg.database.connectionStringFile} ]; then
              LEDGER_DB=$(cat ${lib.escapeShellArg cfg.database.connectionStringFile})
              export LEDGER_DB
            else
              echo "ledger: cannot read ${cfg.database.connectionStringFile} (services.ledger.database.connectionStringFile); run as a user who can, or set LEDGER_DB" >&2
              exit 2
            fi
          fi
        ''
    )
    + ''
      # `record commit` (what the git hook runs) and `import-git` through ledger-hook, the same
      # commands compiled ahead of time, when the package has it and the processor runs it
      # (x86-64-v2 on x86-64, which /proc/cpuinfo shows as sse4_2): it hands anything unusual back
      # to ledger. (ledger would hand import-git over itself, after some 35 ms of .NET start-up.)
      if { { [ "''${1:-}" = record ] && [ "''${2:-}" = commit ]; } || [ "''${1:-}" = import-git ]; } && [ -x ${cfg.package}/bin/ledger-hook ] \
        && { [ "$(${pkgs.coreutils}/bin/uname -m)" != x86_64 ] || ${pkgs.gnugrep}/bin/grep -qm1 -w sse4_2 /proc/cpuinfo; }; then
        exec ${cfg.package}/bin/ledger-hook "$@"
      fi
      exec ${lib.getExe cfg.package} "$@"
    ''
  );

  checksFile =
    let
      raw = pkgs.writeText "ledger-checks-unchecked.json" (checksToJson cfg.checks);
    in
    # A wrong field fails the build (nixos-rebuild), naming the check and the field.
    pkgs.runCommand "ledger-checks.json" { nativeBuildInputs = [ cfg.package ]; } ''
      LEDGER_HOME=$TMPDIR/ledger ledger validate --config ${raw} --parse-only
      cp ${raw} $out
    '';

  # The daemon's settings: the snapshot timers and the git hook do what its own schedules would
  # (the daemon runs as ledger, without the GPU devices or root's podman, and libgit2 refuses a
  # repository owned by another user), so those are off unless webhook.settings turns them on.
  jsonFormat = pkgs.formats.json { };

  # The Grafana token reaches the daemon as the systemd credential "grafana-token"; serve.json
  # names where systemd puts it, never the token or the secret file's own path.
  grafanaTokenFile = cfg.webhook.settings.grafana.tokenFile or null;
  credentialPath = name: "/run/credentials/ledger.service/${name}";
  serveSettings = lib.filterAttrsRecursive (_: v: v != null) (
    lib.recursiveUpdate cfg.webhook.settings (
      {
        repo = cfg.repoPath;
        intervals = {
          gpu = 0;
          containers = 0;
          storage = 0;
          system = 0;
          git = 0;
        }
        // cfg.webhook.settings.intervals;
      }
      // optionalAttrs (grafanaTokenFile != null) {
        grafana.tokenFile = credentialPath "grafana-token";
      }
    )
  );
  serveFile = jsonFormat.generate "ledger-serve.json" serveSettings;

  storageFile = pkgs.writeText "ledger-storage.json" (
    builtins.toJSON {
      mounts = map (m: { inherit (m) path; } // optionalAttrs (m.tier != null) { inherit (m) tier; }) cfg.storage.mounts;
    }
  );

  hookMarker = "# Installed by 'ledger init --hooks'";
  hookCommand = ''/run/current-system/sw/bin/ledger record commit HEAD --repo "$(git rev-parse --show-toplevel)" --host ${lib.escapeShellArg cfg.hostName}'';
  # The hook calls the `ledger` on PATH (stable across upgrades, preset to the database; it runs
  # `record commit` through ledger-hook, above). It
  # carries the marker of `ledger init --hooks`, so either may replace the other's hook.
  # With the daemon enabled the hook asks it first (POST /record/commit): it records the commit in
  # milliseconds. Any other answer (daemon stopped, database down) runs the command as before.
  hostPort = address: port: if lib.hasInfix ":" address then "[${address}]:${toString port}" else "${address}:${toString port}";
  listen = hostPort cfg.webhook.address cfg.webhook.port;
  daemonUrl =
    let
      a = cfg.webhook.address;
      local =
        if a == "0.0.0.0" then
          "127.0.0.1"
        else if a == "::" then
          "::1"
        else
          a;
    in
    "http://${hostPort local cfg.webhook.port}/record/commit";
  askDaemon = lib.optionalString cfg.webhook.enable ''
    top=$(git rev-parse --show-toplevel)
    sha=$(git rev-parse HEAD)
    answer=$(${pkgs.curl}/bin/curl -sS --fail --connect-timeout 1 --max-time 30 \
      --data-urlencode "repo=$top" --data-urlencode "sha=$sha" --data-urlencode host=${lib.escapeShellArg cfg.hostName} \
      --data-urlencode "user=$(id -un)" --data-urlencode "sudo_user=''${SUDO_USER:-}" \
      ${lib.escapeShellArg daemonUrl} 2>/dev/null)
    case "$answer" in
      "recorded $sha "*|"known $sha "*) exit 0 ;;
    esac
  '';
  hookFile = pkgs.writeText "ledger-post-commit" ''
    #!/bin/sh
    ${hookMarker}: records each new commit in Ledger.
    # Written by the NixOS module services.ledger (gitHook.enable); rewritten on every boot and switch.
    # A failure to record never blocks the commit; it is reported here and in Ledger's log.
    ${askDaemon}
    ${hookCommand} >/dev/null \
      || echo "ledger: this commit was not recorded; run 'ledger import-git' later to catch up" >&2
    exit 0
  '';

  # Hardening shared by every unit, as nixpkgs' grafana and jellyfin modules do it; every value at
  # mkDefault, so a configuration relaxes one without mkForce. .NET's JIT writes code and then
  # runs it, so MemoryDenyWriteExecute stays off; ProcSubset stays off because system snapshots
  # read /proc/loadavg, /proc/meminfo and /proc/stat.
  hardening = lib.mapAttrs (_: mkDefault) {
    DynamicUser = false; # a fixed `ledger` user: peer authentication and file ownership need it
    NoNewPrivileges = true;
    PrivateTmp = true;
    ProtectSystem = "strict";
    ProtectHome = "read-only"; # storage snapshots measure mounts under /home too
    ProtectProc = "invisible";
    ProtectKernelTunables = true;
    ProtectKernelModules = true;
    ProtectKernelLogs = true;
    ProtectControlGroups = true;
    ProtectClock = true;
    ProtectHostname = true;
    RestrictNamespaces = true;
    RestrictRealtime = true;
    RestrictSUIDSGID = true;
    RemoveIPC = true;
    LockPersonality = true;
    SystemCallArchitectures = "native";
    SystemCallFilter = [
      "@system-service"
      "~@privileged"
    ];
    SystemCallErrorNumber = "EPERM";
    RestrictAddressFamilies = [
      "AF_UNIX"
      "AF_INET"
      "AF_INET6"
      "AF_NETLINK"
    ];
    # Files (logs) stay readable and writable by the ledger group, whoever writes them.
    UMask = "0007";
  };

  # Units that need no privilege run as the ledger user, with no capability and no device.
  asLedger = hardening // {
    User = "ledger";
    Group = "ledger";
    StateDirectory = "ledger";
    StateDirectoryMode = "0750";
    CapabilityBoundingSet = mkDefault [ "" ];
    AmbientCapabilities = mkDefault [ "" ];
    PrivateDevices = mkDefault true;
    DevicePolicy = mkDefault "closed";
  };

  # Units that must be root: writing into the root-owned repository (hook, docs) and asking
  # root's podman about the containers it runs. They write into /var/lib/ledger as root, so
  # StateDirectory (which would chown it to root) is not used there; tmpfiles creates it. Root
  # keeps only the capabilities of a file owner and reader (git, ledger); "~@privileged" would
  # refuse chown and the like, which root's git may use, so root units allow @system-service.
  asRoot = hardening // {
    User = "root";
    Group = "ledger";
    ReadWritePaths = escapedPaths [ stateDir ];
    CapabilityBoundingSet = mkDefault [
      "CAP_CHOWN"
      "CAP_DAC_OVERRIDE"
      "CAP_DAC_READ_SEARCH"
      "CAP_FOWNER"
    ];
    SystemCallFilter = mkDefault [ "@system-service" ];
    PrivateDevices = mkDefault true;
  };

  # Paths in unit settings that take a list (ReadWritePaths): quoted, so a space does not split them.
  escapedPaths = map utils.escapeSystemdExecArg;

  credentials = optional (!localDb) "db:${cfg.database.connectionStringFile}";

  databaseUnits = optionals localDb [
    "postgresql.service"
    # NixOS 25.11 and later create the database and role in postgresql-setup.service.
    "postgresql-setup.service"
  ];
  # Every unit but the setup itself waits for the schema and the grants.
  setupUnits = optionals localDb [ "ledger-db-setup.service" ];

  # One unit of Ledger: environment, PATH, database ordering, hardening and credentials.
  mkUnit =
    {
      description,
      serviceConfig,
      runAs ? asLedger,
      role ? appRole,
      ...
    }@args:
    let
      setup = optionals (role == appRole) setupUnits;
    in
    builtins.removeAttrs args [
      "runAs"
      "role"
    ]
    // {
      inherit description;
      # A database elsewhere is reached over the network.
      after = [ (if localDb then "network.target" else "network-online.target") ] ++ databaseUnits ++ setup;
      wants = if localDb then [ "postgresql-setup.service" ] else [ "network-online.target" ];
      requires = optionals localDb [ "postgresql.service" ] ++ setup;
      # podman, nixos-rebuild, nvidia-smi, systemctl: whatever the running system has.
      path = [
        pkgs.coreutils
        pkgs.git
        config.systemd.package
        "/run/current-system/sw"
      ];
      environment = {
        LEDGER_HOME = stateDir;
        LEDGER_HOST = cfg.hostName;
      }
      // optionalAttrs localDb { LEDGER_DB = localConnectionString role; };
      serviceConfig =
        let
          loaded = credentials ++ (serviceConfig.LoadCredential or [ ]);
        in
        builtins.removeAttrs (runAs // serviceConfig) [ "LoadCredential" ]
        // optionalAttrs (loaded != [ ]) { LoadCredential = loaded; };
    };

  oneshot = extra: { Type = "oneshot"; } // extra;

  snapshotKinds = [
    "gpu"
    "containers"
    "storage"
    "system"
  ];
  enabledSnapshots = builtins.filter (kind: cfg.snapshots.${kind} != null) snapshotKinds;

  snapshotUnit =
    kind:
    mkUnit {
      description = "Ledger: record a ${kind} snapshot";
      runAs =
        if kind == "containers" then
          asRoot // containersRelaxed
        else if kind == "gpu" then
          asLedger // gpuDevices
        else
          asLedger;
      serviceConfig = oneshot { ExecStart = "${runLedger} snapshot ${kind}"; };
    };

  # NVML and nvidia-smi open /dev/nvidiactl, /dev/nvidia0... and /dev/nvidia-uvm: only those
  # devices (by their kernel driver's device group), for this one unit.
  gpuDevices = {
    PrivateDevices = mkDefault false;
    DevicePolicy = mkDefault "closed";
    DeviceAllow = mkDefault [
      "char-nvidia-frontend rw"
      "char-nvidia-uvm rw"
      "char-nvidia-caps r"
    ];
  };

  # Root's podman keeps state under /var/lib/containers and /run (a read-only /var would stop
  # it), enters namespaces, and may mount its storage: this unit is the least confined.
  containersRelaxed = {
    ProtectSystem = mkDefault "full";
    RestrictNamespaces = mkDefault false;
    CapabilityBoundingSet = mkDefault [
      "CAP_CHOWN"
      "CAP_DAC_OVERRIDE"
      "CAP_DAC_READ_SEARCH"
      "CAP_FOWNER"
      "CAP_SETUID"
      "CAP_SETGID"
      "CAP_SYS_ADMIN"
      "CAP_SYS_CHROOT"
      "CAP_KILL"
    ];
    SystemCallFilter = mkDefault [
      "@system-service"
      "@mount"
      "@privileged"
    ];
  };

  timer = description: timerConfig: {
    inherit description;
    wantedBy = [ "timers.target" ];
    inherit timerConfig;
  };

  hookScript = ''
    set -eu
    repo=${lib.escapeShellArg cfg.repoPath}
    host=${lib.escapeShellArg cfg.hostName}
    hook=$(git -c safe.directory="$repo" -C "$repo" rev-parse --path-format=absolute --git-path hooks/post-commit)
    ours=true
    if [ -e "$hook" ] && ! grep -qF ${lib.escapeShellArg hookMarker} "$hook"; then
      ours=false
      echo "ledger: $hook exists and was not written by Ledger; it is left as it is. Add this line to it:" >&2
      echo ${lib.escapeShellArg "  ${hookCommand}"} >&2
    fi

    # Register the repository once per repository and host.
    stamp=${stateDir}/registered-$(printf '%s %s' "$repo" "$host" | sha256sum | cut -c1-16)
    if [ ! -e "$stamp" ]; then
      if [ "$ours" = true ]; then
        ${runLedger} init --repo "$repo" --host "$host" --hooks
      else
        ${runLedger} init --repo "$repo" --host "$host"
      fi
      touch "$stamp"
    fi

    # `ledger init --hooks` writes a hook that calls this exact store path; replace it with
    # the one that calls the `ledger` on PATH.
    if [ "$ours" = true ]; then
      install -D -m 0755 ${hookFile} "$hook"
    fi

    # Commits made while the hook could not record (or before Ledger was installed).
    ${runLedger} import-git --repo "$repo" --host "$host"
  '';

  reportScript = ''
    set -eu
    month=$(date -d "$(date +%Y-%m-01) -1 month" +%Y-%m)
  '' + (
    if cfg.reports.monthly.fleet then
      ''
        exec ${runLedger} report monthly --month "$month" --fleet --out ${lib.escapeShellArg cfg.reports.dir}/"$month"/
      ''
    else
      ''
        exec ${runLedger} report monthly --month "$month" --out ${lib.escapeShellArg cfg.reports.dir} --docs ${lib.escapeShellArg cfg.docsDir}
      ''
  );
in
{
  imports = [
    (lib.mkRemovedOptionModule [
      "services"
      "ledger"
      "webhook"
      "listenAddress"
    ] "Use services.ledger.webhook.address and services.ledger.webhook.port (and webhook.openFirewall).")
  ];

  options.services.ledger = {
    enable = mkEnableOption "Ledger, the event-sourced audit ledger of this machine's NixOS configuration";

    # Not mkPackageOption: pkgs.ledger is the double-entry accounting program of the same name.
    package = mkOption {
      type = types.package;
      default = pkgs.callPackage ./package.nix { };
      defaultText = literalMD "`pkgs.callPackage ./nix/package.nix { }`; with the flake's module, the flake's own package";
      description = "The Ledger package; its `ledger` program is what every unit and the `ledger` on PATH run.";
    };

    repoPath = mkOption {
      type = folderType;
      default = "/etc/nixos";
      description = "The git repository of the NixOS configuration: it gets the post-commit hook and its history is imported.";
    };

    hostName = mkOption {
      type = hostNameType;
      default = config.networking.hostName;
      defaultText = literalExpression "config.networking.hostName";
      description = "The host every event is recorded about (LEDGER_HOST); one database can serve several hosts.";
    };

    users = mkOption {
      type = types.listOf userNameType;
      default = [ ];
      example = [ "alice" ];
      description = ''
        Users besides root who may run the `ledger` command on PATH (and whose commits the hook
        records): they join the ledger group and, with the local database, may log in as its
        `ledger_app` role (read and append, never change history) through peer authentication.
      '';
    };

    database = {
      createLocally = mkOption {
        type = types.bool;
        default = true;
        description = ''
          Create the database `ledger` in this machine's PostgreSQL (services.postgresql) with two
          roles: `ledger`, its owner, used only by ledger-db-setup (schema, append-only guards,
          grants), and `ledger_app`, which reads, appends and seals but cannot change history or
          switch off the guards. The units, root and `users` connect as `ledger_app` over the Unix
          socket in /run/postgresql with peer authentication: no password.
          Set to false to use `database.connectionStringFile` instead.
        '';
      };

      connectionStringFile = mkOption {
        type = types.nullOr secretFileType;
        default = null;
        example = "/run/secrets/ledger-db";
        description = ''
          A file holding an Npgsql connection string (e.g. from sops-nix or agenix), for a
          PostgreSQL elsewhere. Read at run time: the units get it as a systemd credential, the
          `ledger` on PATH reads it when the caller can. Give a path as a string so that the file
          is not copied into the Nix store.
          Its role should not own the ledger's tables: set one up once with
          `ledger init --db-guards --app-role ROLE` run with the owner's connection string
          (docs/operations.md, "Append-only").
        '';
      };
    };

    checks = mkOption {
      type = types.attrsOf (types.attrsOf (pkgs.formats.json { }).type);
      default = { };
      example = literalExpression ''
        {
          nixos-rebuild-test = { kind = "nixos-rebuild"; mode = "test"; flake = ".#mediabox"; timeoutSeconds = 900; order = 0; };
          containers = { kind = "containers"; expected = [ "jellyfin" "sonarr" "radarr" ]; maxRestarts = 3; };
          grafana = { kind = "http"; url = "http://127.0.0.1:3000/api/health"; contains = "\"database\": \"ok\""; };
          disk-root = { kind = "disk"; mount = "/"; maxUsedPercent = 90; };
        }
      '';
      description = ''
        The validation checklist, one attribute per check (the name is the check's name), with
        the fields of checks.json (`ledger validate --example-config`). `order` (default 1000)
        sorts them; null fields are left out. Written to /etc/ledger/checks.json, which
        `ledger validate` reads; a wrong field fails the build.
      '';
    };

    snapshots = {
      gpu = mkOption {
        type = types.nullOr timeSpanType;
        default = if lib.elem "nvidia" config.services.xserver.videoDrivers then "15min" else null;
        defaultText = literalExpression ''if elem "nvidia" config.services.xserver.videoDrivers then "15min" else null'';
        description = "How often to record a GPU snapshot (a systemd time span); null: never.";
      };
      containers = mkOption {
        type = types.nullOr timeSpanType;
        default = if config.virtualisation.podman.enable then "15min" else null;
        defaultText = literalExpression ''if config.virtualisation.podman.enable then "15min" else null'';
        description = "How often to record a container snapshot (root's podman); null: never.";
      };
      storage = mkOption {
        type = types.nullOr timeSpanType;
        default = "1h";
        description = "How often to record a storage snapshot of `storage.mounts`; null: never.";
      };
      system = mkOption {
        type = types.nullOr timeSpanType;
        default = "1h";
        description = "How often to record a system snapshot (load, memory, uptime, generation); null: never.";
      };
    };

    storage.mounts = mkOption {
      type = types.listOf (
        types.submodule {
          options = {
            path = mkOption {
              type = folderType;
              example = "/mnt/cold";
              description = "A mount point to measure.";
            };
            tier = mkOption {
              type = types.nullOr types.str;
              default = null;
              example = "cold";
              description = "Its tier label, e.g. hot or cold.";
            };
          };
        }
      );
      default = [ ];
      example = literalExpression ''[ { path = "/"; tier = "hot"; } { path = "/mnt/cold"; tier = "cold"; } ]'';
      description = "The mounts storage snapshots measure, written to storage.json; empty: only /.";
    };

    webhook = {
      enable = mkEnableOption "`ledger serve`, the daemon that receives Alertmanager's webhook";
      address = mkOption {
        type = types.str;
        default = "127.0.0.1";
        example = "0.0.0.0";
        description = "Address `ledger serve` listens on (POST /alertmanager, GET /metrics, GET /healthz); `0.0.0.0` or `::` for every interface.";
      };
      port = mkOption {
        type = types.port;
        default = 9977;
        description = "TCP port `ledger serve` listens on.";
      };
      openFirewall = mkOption {
        type = types.bool;
        default = false;
        description = "Open `webhook.port` in the firewall, for an Alertmanager or Prometheus on another machine.";
      };
      tokenFile = mkOption {
        type = types.nullOr secretFileType;
        default = null;
        example = "/run/secrets/ledger-webhook-token";
        description = "A file holding the bearer token Alertmanager must send; passed as a systemd credential. Null: no token.";
      };
      settings = mkOption {
        type = types.submodule {
          freeformType = jsonFormat.type;
          options = {
            intervals = mkOption {
              type = types.attrsOf types.ints.unsigned;
              default = { };
              example = {
                validate = 3600;
                seal = 3600;
              };
              description = "Seconds between runs of each of the daemon's schedules (0: off); the module's own zeros for gpu, containers, storage, system and git come first.";
            };
            grafana = mkOption {
              type = types.nullOr (
                types.submodule {
                  freeformType = jsonFormat.type;
                  options = {
                    url = mkOption {
                      type = types.str;
                      example = "http://127.0.0.1:3000";
                      description = "Grafana's base URL.";
                    };
                    tokenFile = mkOption {
                      type = secretFileType;
                      example = "/run/secrets/grafana-ledger-token";
                      description = "A file holding the service account token; passed as the systemd credential `grafana-token`.";
                    };
                    dashboardUid = mkOption {
                      type = types.nullOr types.str;
                      default = null;
                      description = "The dashboard the annotations go on; null: organisation-wide.";
                    };
                  };
                }
              );
              default = null;
              description = "Grafana annotations of deploys and restores (docs/operations.md, \"Grafana annotations\"); null: none.";
            };
          };
        };
        default = { };
        example = literalExpression ''
          {
            intervals.validate = 3600;
            grafana = { url = "http://127.0.0.1:3000"; tokenFile = "/run/secrets/grafana-ledger-token"; };
          }
        '';
        description = ''
          Fields of serve.json (docs/operations.md, "The daemon"), merged over what the module
          sets: `repo` = `repoPath`, and the daemon's own snapshot and git-watch schedules off,
          because the snapshot timers (with the privileges each kind needs) and the git hook
          already do that work. Known fields are typed; others pass through as JSON. Written to
          /etc/ledger/serve.json (in the Nix store: no secrets; the Grafana token file is handed
          over as a credential).
        '';
      };
    };

    docsDir = mkOption {
      type = folderType;
      default = "${cfg.repoPath}/docs";
      defaultText = literalExpression ''"''${config.services.ledger.repoPath}/docs"'';
      description = "Where `ledger docs` writes the change docs.";
    };

    docs = {
      enable = mkEnableOption "a timer that regenerates the change docs in `docsDir` (`ledger docs`)";
      onCalendar = mkOption {
        type = types.str;
        default = "daily";
        description = "When to regenerate the change docs (systemd OnCalendar).";
      };
    };

    reports = {
      dir = mkOption {
        type = folderType;
        default = "${stateDir}/reports";
        description = "Where the monthly reports are written.";
      };
      monthly = {
        enable = mkEnableOption "a timer that writes last month's report (`ledger report monthly`)";
        onCalendar = mkOption {
          type = types.str;
          default = "*-*-01 06:00:00";
          description = "When to write the report of the month before (systemd OnCalendar).";
        };
        fleet = mkOption {
          type = types.bool;
          default = false;
          description = ''
            Report on every host of the database (the fleet on one central PostgreSQL), not only
            this one: `ledger report monthly --fleet` writes each host's report and the fleet's page
            `fleet-YYYY-MM.md` into `reports.dir`/YYYY-MM/.
          '';
        };
      };
    };

    seal = {
      enable = mkEnableOption "a timer that chains new events into the tamper-evident seal (`ledger seal`)";
      onCalendar = mkOption {
        type = types.str;
        default = "hourly";
        description = "When to seal (systemd OnCalendar).";
      };
    };

    gitHook.enable = mkOption {
      type = types.bool;
      default = true;
      description = ''
        Install the post-commit hook in `repoPath` (it records each commit), register the
        repository once, and import commits the hook missed, at boot and on every switch.
      '';
    };
  };

  config = mkIf cfg.enable {
    assertions = [
      {
        assertion = localDb != (cfg.database.connectionStringFile != null);
        message = "services.ledger: set either database.createLocally = true or database.connectionStringFile (and createLocally = false), not both or neither.";
      }
    ];

    # A secret file option holding the secret itself instead of a file's path.
    warnings =
      let
        inline = name: value: optional (value != null && (lib.hasInfix "=" value || lib.hasInfix "://" value || lib.hasInfix " " value)) (
          "services.ledger.${name} looks like a secret written inline, not the path of a file holding it; "
          + "give the path of a file only root can read (sops-nix, agenix)."
        );
      in
      inline "database.connectionStringFile" cfg.database.connectionStringFile
      ++ inline "webhook.tokenFile" cfg.webhook.tokenFile
      ++ inline "webhook.settings.grafana.tokenFile" grafanaTokenFile;

    users.users.ledger = {
      isSystemUser = true;
      group = "ledger";
      home = stateDir;
      description = "Ledger audit ledger";
    };
    users.groups.ledger.members = cfg.users;

    services.postgresql = mkIf localDb {
      enable = true;
      ensureDatabases = [ "ledger" ];
      ensureUsers = [
        {
          name = ownerRole;
          ensureDBOwnership = true;
        }
        { name = appRole; }
      ];
      # Peer authentication: the OS user ledger may log in as the owner (ledger-db-setup runs as
      # it); the services (ledger, and root for the hook, docs and containers units) and the
      # users of the `ledger` command log in as ledger_app.
      identMap =
        "ledger-users ledger ${ownerRole}\n"
        + lib.concatMapStrings (user: "ledger-users ${user} ${appRole}\n") (
          [
            "ledger"
            "root"
          ]
          ++ cfg.users
        );
      authentication = lib.mkBefore ''
        local ledger ${ownerRole},${appRole} peer map=ledger-users
      '';
    };

    environment.systemPackages = [ ledgerCommand ];

    # Linked into LEDGER_HOME, where `ledger validate` and `ledger snapshot` look. Without checks
    # (or mounts) the link dangles, and ledger says there is no checklist (or measures /).
    environment.etc =
      optionalAttrs (cfg.checks != { }) { "ledger/checks.json".source = checksFile; }
      // optionalAttrs (cfg.storage.mounts != [ ]) { "ledger/storage.json".source = storageFile; }
      // optionalAttrs cfg.webhook.enable { "ledger/serve.json".source = serveFile; };

    # systemd.tmpfiles.settings escapes the paths (a space in reports.dir stays one path).
    systemd.tmpfiles.settings."10-ledger" = {
      ${stateDir}.d = {
        user = "ledger";
        group = "ledger";
        mode = "0750";
      };
      # setgid: log files written by root units stay in the ledger group.
      "${stateDir}/logs".d = {
        user = "ledger";
        group = "ledger";
        mode = "2770";
      };
      # setgid: the hook spools as root while the database is away, the daemon (user ledger)
      # delivers; both in the ledger group.
      "${stateDir}/spool".d = {
        user = "ledger";
        group = "ledger";
        mode = "2770";
      };
      "${stateDir}/checks.json"."L+".argument = "/etc/ledger/checks.json";
      "${stateDir}/storage.json"."L+".argument = "/etc/ledger/storage.json";
    }
    // optionalAttrs cfg.webhook.enable { "${stateDir}/serve.json"."L+".argument = "/etc/ledger/serve.json"; }
    // optionalAttrs cfg.reports.monthly.enable {
      ${cfg.reports.dir}.d = {
        user = "ledger";
        group = "ledger";
        mode = "0750";
      };
    }
    // optionalAttrs cfg.docs.enable {
      ${cfg.docsDir}.d = {
        user = "root";
        group = "root";
        mode = "0755";
      };
    };

    networking.firewall.allowedTCPPorts = optional (cfg.webhook.enable && cfg.webhook.openFirewall) cfg.webhook.port;

    systemd.services =
      builtins.listToAttrs (
        map (kind: {
          name = "ledger-snapshot-${kind}";
          value = snapshotUnit kind;
        }) enabledSnapshots
      )
      // optionalAttrs localDb {
        # The only unit that logs in as the owner: creates or upgrades the schema, re-asserts the
        # append-only guards and grants ledger_app what it may do. Runs at boot and again when the
        # package changes (a new version may bring a new schema), before every other unit.
        ledger-db-setup = mkUnit {
          description = "Ledger: database schema, append-only guards and the ledger_app role's grants";
          role = ownerRole;
          wantedBy = [ "multi-user.target" ];
          restartTriggers = [ cfg.package ];
          serviceConfig = oneshot {
            RemainAfterExit = true;
            ExecStart = "${runLedger} init --db-guards --app-role ${appRole}";
          };
        };
      }
      // optionalAttrs cfg.gitHook.enable {
        ledger-git-hook = mkUnit {
          description = "Ledger: post-commit hook in ${cfg.repoPath} and catch-up import";
          # At boot, and again on every switch: NixOS restarts sysinit-reactivation.target on each
          # activation, which starts this oneshot anew (it does not remain active after it ran).
          wantedBy = [
            "multi-user.target"
            "sysinit-reactivation.target"
          ];
          unitConfig.ConditionPathExists = lib.replaceStrings [ "%" ] [ "%%" ] "${cfg.repoPath}/.git";
          runAs = asRoot // {
            ReadWritePaths = escapedPaths [
              stateDir
              cfg.repoPath
            ];
          };
          serviceConfig = oneshot { };
          script = hookScript;
        };
      }
      // optionalAttrs cfg.webhook.enable {
        ledger = mkUnit {
          description = "Ledger daemon: Alertmanager webhook, metrics, schedules";
          # Reads /var/lib/ledger/serve.json (webhook.settings); a changed file restarts it.
          restartTriggers = [ serveFile ];
          wantedBy = [ "multi-user.target" ];
          serviceConfig = {
            Type = "exec";
            ExecStart =
              "${runLedger} serve --listen ${utils.escapeSystemdExecArg listen}"
              + lib.optionalString (cfg.webhook.tokenFile != null) " --token-file %d/webhook-token";
            LoadCredential =
              optional (cfg.webhook.tokenFile != null) "webhook-token:${cfg.webhook.tokenFile}"
              ++ optional (grafanaTokenFile != null) "grafana-token:${grafanaTokenFile}";
            Restart = "on-failure";
            RestartSec = "5s";
            # SIGTERM: stop accepting, answer the requests in flight (serve.json's shutdownSeconds, default 25 s).
            TimeoutStopSec = "60s";
          };
        };
      }
      // optionalAttrs cfg.seal.enable {
        ledger-seal = mkUnit {
          description = "Ledger: seal new events into the hash chain";
          serviceConfig = oneshot { ExecStart = "${runLedger} seal"; };
        };
      }
      // optionalAttrs cfg.reports.monthly.enable {
        ledger-report-monthly = mkUnit {
          description = "Ledger: the monthly report of the month before";
          runAs = asLedger // {
            ReadWritePaths = escapedPaths [ cfg.reports.dir ];
          };
          serviceConfig = oneshot { };
          script = reportScript;
        };
      }
      // optionalAttrs cfg.docs.enable {
        ledger-docs = mkUnit {
          description = "Ledger: regenerate the change docs in ${cfg.docsDir}";
          runAs = asRoot // {
            ReadWritePaths = escapedPaths [
              stateDir
              cfg.docsDir
            ];
          };
          serviceConfig = oneshot { ExecStart = "${runLedger} docs --out ${utils.escapeSystemdExecArg cfg.docsDir}"; };
        };
      };

    systemd.timers =
      builtins.listToAttrs (
        map (kind: {
          name = "ledger-snapshot-${kind}";
          value = timer "Ledger: ${kind} snapshot every ${cfg.snapshots.${kind}}" {
            OnBootSec = "5min";
            OnUnitActiveSec = cfg.snapshots.${kind};
          };
        }) enabledSnapshots
      )
      // optionalAttrs cfg.seal.enable {
        ledger-seal = timer "Ledger: seal new events" {
          OnCalendar = cfg.seal.onCalendar;
          Persistent = true;
        };
      }
      // optionalAttrs cfg.reports.monthly.enable {
        ledger-report-monthly = timer "Ledger: monthly report" {
          OnCalendar = cfg.reports.monthly.onCalendar;
          Persistent = true;
        };
      }
      // optionalAttrs cfg.docs.enable {
        ledger-docs = timer "Ledger: change docs" {
          OnCalendar = cfg.docs.onCalendar;
          Persistent = true;
        };
      };
  };
}
