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
  ...
}:
let
  inherit (lib)
    literalExpression
    mkEnableOption
    mkIf
    mkOption
    optional
    optionalAttrs
    optionals
    types
    ;

  cfg = config.services.ledger;

  checksToJson = import ./checks-to-json.nix;

  stateDir = "/var/lib/ledger";
  localDb = cfg.database.createLocally;
  localConnectionString = "Host=/run/postgresql;Username=ledger;Database=ledger";

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
          export LEDGER_DB="''${LEDGER_DB:-${localConnectionString}}"
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
      # `record commit` (what the git hook runs) through ledger-hook, the same command compiled
      # ahead of time, when the package has it and the processor runs it (x86-64-v2 on x86-64,
      # which /proc/cpuinfo shows as sse4_2): it hands anything unusual back to ledger.
      if [ "''${1:-}" = record ] && [ "''${2:-}" = commit ] && [ -x ${cfg.package}/bin/ledger-hook ] \
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
  serveFile = pkgs.writeText "ledger-serve.json" (
    builtins.toJSON (
      lib.recursiveUpdate {
        repo = cfg.repoPath;
        intervals = {
          gpu = 0;
          containers = 0;
          storage = 0;
          system = 0;
          git = 0;
        };
      } cfg.webhook.settings
    )
  );

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
  daemonUrl =
    let
      a = cfg.webhook.listenAddress;
      local =
        if lib.hasPrefix "0.0.0.0:" a then
          "127.0.0.1:" + lib.removePrefix "0.0.0.0:" a
        else if lib.hasPrefix "[::]:" a then
          "[::1]:" + lib.removePrefix "[::]:" a
        else
          a;
    in
    "http://${local}/record/commit";
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

  # Hardening shared by every unit. .NET's JIT writes code and then runs it, so
  # MemoryDenyWriteExecute stays off.
  hardening = {
    DynamicUser = false; # a fixed `ledger` user: peer authentication and file ownership need it
    NoNewPrivileges = true;
    PrivateTmp = true;
    ProtectSystem = "strict";
    ProtectHome = "read-only"; # storage snapshots measure mounts under /home too
    ProtectKernelTunables = true;
    ProtectKernelModules = true;
    ProtectKernelLogs = true;
    ProtectControlGroups = true;
    ProtectClock = true;
    ProtectHostname = true;
    RestrictNamespaces = true;
    RestrictRealtime = true;
    RestrictSUIDSGID = true;
    LockPersonality = true;
    SystemCallArchitectures = "native";
    RestrictAddressFamilies = [
      "AF_UNIX"
      "AF_INET"
      "AF_INET6"
      "AF_NETLINK"
    ];
    # Files (logs) stay readable and writable by the ledger group, whoever writes them.
    UMask = "0007";
  };

  # Units that need no privilege run as the ledger user.
  asLedger = hardening // {
    User = "ledger";
    Group = "ledger";
    StateDirectory = "ledger";
    StateDirectoryMode = "0750";
    CapabilityBoundingSet = "";
    PrivateDevices = true;
  };

  # Units that must be root: writing into the root-owned repository (hook, docs) and asking
  # root's podman about the containers it runs. They write into /var/lib/ledger as root, so
  # StateDirectory (which would chown it to root) is not used there; tmpfiles creates it.
  asRoot = hardening // {
    User = "root";
    Group = "ledger";
    ReadWritePaths = [ stateDir ];
  };

  credentials = optional (!localDb) "db:${cfg.database.connectionStringFile}";

  databaseUnits = optionals localDb [
    "postgresql.service"
    # NixOS 25.11 and later create the database and role in postgresql-setup.service.
    "postgresql-setup.service"
  ];

  # One unit of Ledger: environment, PATH, database ordering, hardening and credentials.
  mkUnit =
    {
      description,
      serviceConfig,
      runAs ? asLedger,
      ...
    }@args:
    builtins.removeAttrs args [ "runAs" ]
    // {
      inherit description;
      # A database elsewhere is reached over the network.
      after = [ (if localDb then "network.target" else "network-online.target") ] ++ databaseUnits;
      wants = if localDb then [ "postgresql-setup.service" ] else [ "network-online.target" ];
      requires = optionals localDb [ "postgresql.service" ];
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
      // optionalAttrs localDb { LEDGER_DB = localConnectionString; };
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
      runAs = if kind == "containers" then asRoot // containersRelaxed else asLedger;
      serviceConfig = oneshot (
        {
          ExecStart = "${runLedger} snapshot ${kind}";
        }
        // optionalAttrs (kind == "gpu") {
          # NVML and nvidia-smi open /dev/nvidia*.
          PrivateDevices = false;
        }
      );
    };

  # Root's podman keeps state under /var/lib/containers and /run: a read-only /var would stop it.
  containersRelaxed = {
    ProtectSystem = "full";
    RestrictNamespaces = false;
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
    exec ${runLedger} report monthly --month "$month" --out ${lib.escapeShellArg cfg.reports.dir}
  '';
in
{
  options.services.ledger = {
    enable = mkEnableOption "Ledger, the event-sourced audit ledger of this machine's NixOS configuration";

    # Not mkPackageOption: pkgs.ledger is the double-entry accounting program of the same name.
    package = mkOption {
      type = types.package;
      default = pkgs.callPackage ./package.nix { };
      defaultText = literalExpression "pkgs.callPackage ./nix/package.nix { } (the flake's module: the flake's package)";
      description = "The Ledger package; its `ledger` program is what every unit and the `ledger` on PATH run.";
    };

    repoPath = mkOption {
      type = types.str;
      default = "/etc/nixos";
      description = "The git repository of the NixOS configuration: it gets the post-commit hook and its history is imported.";
    };

    hostName = mkOption {
      type = types.str;
      default = config.networking.hostName;
      defaultText = literalExpression "config.networking.hostName";
      description = "The host every event is recorded about (LEDGER_HOST); one database can serve several hosts.";
    };

    users = mkOption {
      type = types.listOf types.str;
      default = [ ];
      example = [ "alice" ];
      description = ''
        Users besides root who may run the `ledger` command on PATH (and whose commits the hook
        records): they join the ledger group and, with the local database, may log in as its
        `ledger` role through peer authentication.
      '';
    };

    database = {
      createLocally = mkOption {
        type = types.bool;
        default = true;
        description = ''
          Create the database `ledger` and role `ledger` in this machine's PostgreSQL
          (services.postgresql) and connect over the Unix socket in /run/postgresql with peer
          authentication (`Host=/run/postgresql;Username=ledger;Database=ledger`): no password.
          Set to false to use `database.connectionStringFile` instead.
        '';
      };

      connectionStringFile = mkOption {
        type = types.nullOr types.str;
        default = null;
        example = "/run/secrets/ledger-db";
        description = ''
          A file holding an Npgsql connection string (e.g. from sops-nix or agenix), for a
          PostgreSQL elsewhere. Read at run time: the units get it as a systemd credential, the
          `ledger` on PATH reads it when the caller can. Give a path as a string so that the file
          is not copied into the Nix store.
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
        type = types.nullOr types.str;
        default = if lib.elem "nvidia" config.services.xserver.videoDrivers then "15min" else null;
        defaultText = literalExpression ''if elem "nvidia" config.services.xserver.videoDrivers then "15min" else null'';
        description = "How often to record a GPU snapshot (a systemd time span); null: never.";
      };
      containers = mkOption {
        type = types.nullOr types.str;
        default = if config.virtualisation.podman.enable then "15min" else null;
        defaultText = literalExpression ''if config.virtualisation.podman.enable then "15min" else null'';
        description = "How often to record a container snapshot (root's podman); null: never.";
      };
      storage = mkOption {
        type = types.nullOr types.str;
        default = "1h";
        description = "How often to record a storage snapshot of `storage.mounts`; null: never.";
      };
      system = mkOption {
        type = types.nullOr types.str;
        default = "1h";
        description = "How often to record a system snapshot (load, memory, uptime, generation); null: never.";
      };
    };

    storage.mounts = mkOption {
      type = types.listOf (
        types.submodule {
          options = {
            path = mkOption {
              type = types.str;
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
      enable = mkEnableOption "`ledger serve`, the daemon that receives Alertmanager's webhook (issue 8)";
      listenAddress = mkOption {
        type = types.str;
        default = "127.0.0.1:9977";
        description = "Address and port `ledger serve` listens on (POST /alertmanager, GET /metrics, GET /healthz).";
      };
      tokenFile = mkOption {
        type = types.nullOr types.str;
        default = null;
        example = "/run/secrets/ledger-webhook-token";
        description = "A file holding the bearer token Alertmanager must send; passed as a systemd credential. Null: no token.";
      };
      settings = mkOption {
        type = (pkgs.formats.json { }).type;
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
          already do that work. Written to /etc/ledger/serve.json (in the Nix store: no secrets,
          name files instead).
        '';
      };
    };

    docsDir = mkOption {
      type = types.str;
      default = "${cfg.repoPath}/docs";
      defaultText = literalExpression ''"''${config.services.ledger.repoPath}/docs" (/etc/nixos/docs)'';
      description = "Where `ledger docs` writes the change docs.";
    };

    docs = {
      enable = mkEnableOption "a timer that regenerates the change docs in `docsDir` (`ledger docs`, issue 5)";
      onCalendar = mkOption {
        type = types.str;
        default = "daily";
        description = "When to regenerate the change docs (systemd OnCalendar).";
      };
    };

    reports = {
      dir = mkOption {
        type = types.str;
        default = "${stateDir}/reports";
        description = "Where the monthly reports are written.";
      };
      monthly = {
        enable = mkEnableOption "a timer that writes last month's report (`ledger report monthly`, issue 5)";
        onCalendar = mkOption {
          type = types.str;
          default = "*-*-01 06:00:00";
          description = "When to write the report of the month before (systemd OnCalendar).";
        };
      };
    };

    seal = {
      enable = mkEnableOption "a timer that chains new events into the tamper-evident seal (`ledger seal`, issue 7)";
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
      {
        assertion = cfg.database.connectionStringFile == null || lib.hasPrefix "/" cfg.database.connectionStringFile;
        message = "services.ledger.database.connectionStringFile must be an absolute path given as a string (a Nix path would copy the secret into the store).";
      }
      {
        assertion = cfg.webhook.tokenFile == null || lib.hasPrefix "/" cfg.webhook.tokenFile;
        message = "services.ledger.webhook.tokenFile must be an absolute path given as a string.";
      }
    ];

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
          name = "ledger";
          ensureDBOwnership = true;
        }
      ];
      # Peer authentication maps these OS users to the ledger role: the services (ledger, and
      # root for the hook, docs and containers units) and the users of the `ledger` command.
      identMap = lib.concatMapStrings (user: "ledger-users ${user} ledger\n") (
        [
          "ledger"
          "root"
        ]
        ++ cfg.users
      );
      authentication = lib.mkBefore ''
        local ledger ledger peer map=ledger-users
      '';
    };

    environment.systemPackages = [ ledgerCommand ];

    # Linked into LEDGER_HOME, where `ledger validate` and `ledger snapshot` look. Without checks
    # (or mounts) the link dangles, and ledger says there is no checklist (or measures /).
    environment.etc =
      optionalAttrs (cfg.checks != { }) { "ledger/checks.json".source = checksFile; }
      // optionalAttrs (cfg.storage.mounts != [ ]) { "ledger/storage.json".source = storageFile; }
      // optionalAttrs cfg.webhook.enable { "ledger/serve.json".source = serveFile; };

    systemd.tmpfiles.rules = [
      "d ${stateDir} 0750 ledger ledger -"
      # setgid: log files written by root units stay in the ledger group.
      "d ${stateDir}/logs 2770 ledger ledger -"
      "L+ ${stateDir}/checks.json - - - - /etc/ledger/checks.json"
      "L+ ${stateDir}/storage.json - - - - /etc/ledger/storage.json"
    ]
    ++ optional cfg.webhook.enable "L+ ${stateDir}/serve.json - - - - /etc/ledger/serve.json"
    ++ optional cfg.reports.monthly.enable "d ${cfg.reports.dir} 0750 ledger ledger -"
    ++ optional cfg.docs.enable "d ${cfg.docsDir} 0755 root root -";

    systemd.services =
      builtins.listToAttrs (
        map (kind: {
          name = "ledger-snapshot-${kind}";
          value = snapshotUnit kind;
        }) enabledSnapshots
      )
      // optionalAttrs cfg.gitHook.enable {
        ledger-git-hook = mkUnit {
          description = "Ledger: post-commit hook in ${cfg.repoPath} and catch-up import";
          wantedBy = [ "multi-user.target" ];
          unitConfig.ConditionPathExists = "${cfg.repoPath}/.git";
          runAs = asRoot // {
            ReadWritePaths = [
              stateDir
              cfg.repoPath
            ];
          };
          serviceConfig = oneshot { RemainAfterExit = true; };
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
              "${runLedger} serve --listen ${lib.escapeShellArg cfg.webhook.listenAddress}"
              + lib.optionalString (cfg.webhook.tokenFile != null) " --token-file %d/webhook-token";
            LoadCredential = optional (cfg.webhook.tokenFile != null) "webhook-token:${cfg.webhook.tokenFile}";
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
            ReadWritePaths = [ cfg.reports.dir ];
          };
          serviceConfig = oneshot { };
          script = reportScript;
        };
      }
      // optionalAttrs cfg.docs.enable {
        ledger-docs = mkUnit {
          description = "Ledger: regenerate the change docs in ${cfg.docsDir}";
          runAs = asRoot // {
            ReadWritePaths = [
              stateDir
              cfg.docsDir
            ];
          };
          serviceConfig = oneshot { ExecStart = "${runLedger} docs --out ${lib.escapeShellArg cfg.docsDir}"; };
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
