#!/usr/bin/env python3
"""Writes a synthetic NixOS configuration repository with a long, realistic history.

Usage: make-nixos-history.py DIR [COMMITS] [SEED]

Files look like NixOS modules (services, containers, monitoring); commits edit a few lines
of one to four files, sometimes add, delete or rename a module, and every 40th commit is a
merge of a short branch. Uses `git fast-import`, so 3,000 commits take a few seconds.
Deterministic for a given SEED. For benchmarks and tests (`ledger-bench run`, the import and restore specs).
"""
import os
import random
import subprocess
import sys

SERVICES = ["jellyfin", "sonarr", "radarr", "prowlarr", "bazarr", "lidarr", "readarr", "qbittorrent",
            "grafana", "prometheus", "alertmanager", "node-exporter", "nvidia-gpu-exporter", "loki",
            "promtail", "caddy", "nginx", "postgresql", "redis", "restic", "borgbackup", "tailscale",
            "syncthing", "navidrome", "immich", "paperless", "homepage", "uptime-kuma", "vaultwarden"]
OPTIONS = ["enable = true;", "openFirewall = true;", "port = {n};", "dataDir = \"/var/lib/{s}\";",
           "user = \"{s}\";", "group = \"media\";", "extraArgs = [ \"--log-level=info\" ];",
           "environment.TZ = \"Europe/Berlin\";", "memoryLimit = \"{n}M\";", "restartSec = {n};",
           "settings.retention = \"{n}d\";", "volumes = [ \"/srv/media:/media\" ];"]


def module(name, rng):
    lines = [f"# Purpose: {name} service", f"# Date: 2026-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
             "# Rollback: ledger restore --to <seq>", "{ config, pkgs, lib, ... }:", "{"]
    for _ in range(rng.randint(20, 120)):
        opt = rng.choice(OPTIONS).format(n=rng.randint(1, 65000), s=name)
        lines.append(f"  services.{name}.{opt}")
    lines.append("}")
    return lines


def main():
    target = sys.argv[1]
    commits = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 42)
    os.makedirs(target, exist_ok=True)
    subprocess.run(["git", "init", "-q", "-b", "main", target], check=True)
    files = {f"modules/{s}.nix": module(s, rng) for s in SERVICES[:12]}
    files["configuration.nix"] = ["{ ... }:", "{", "  imports = ["] + [f"    ./{p}" for p in files] + ["  ];", "}"]
    out = []
    mark = 0
    when = 1_700_000_000
    main_mark = None

    def blob(lines):
        data = ("\n".join(lines) + "\n").encode()
        return b"data %d\n" % len(data) + data

    def commit(ref, message, changes, parents):
        nonlocal mark, when
        mark += 1
        when += rng.randint(600, 86_400)
        msg = message.encode()
        out.append(f"commit {ref}\nmark :{mark}\n".encode())
        out.append(f"author Admin <admin@mediabox.lan> {when} +0000\ncommitter Admin <admin@mediabox.lan> {when} +0000\n".encode())
        out.append(b"data %d\n" % len(msg) + msg + b"\n")
        for i, p in enumerate(parents):
            out.append(f"{'from' if i == 0 else 'merge'} :{p}\n".encode())
        for kind, path, lines in changes:
            if kind == "D":
                out.append(f"D {path}\n".encode())
            else:
                out.append(f"M 100644 inline {path}\n".encode() + blob(lines))
        return mark

    main_mark = commit("refs/heads/main", "Initial configuration", [("M", p, l) for p, l in files.items()], [])
    n = 1
    while n < commits:
        if n % 40 == 0 and n + 3 <= commits:
            # A short branch merged back with --no-ff.
            branch = main_mark
            name = rng.choice(SERVICES)
            path = f"modules/{name}-extra-{n}.nix"
            files[path] = module(name, rng)
            branch = commit("refs/heads/topic", f"Try {name} tuning", [("M", path, files[path])], [branch])
            main_mark = commit("refs/heads/main", f"Bump {rng.choice(SERVICES)} port", edit(files, rng), [main_mark])
            main_mark = commit("refs/heads/main", f"Merge branch 'topic' ({name})", [("M", path, files[path])], [main_mark, branch])
            n += 3
            continue
        r = rng.random()
        if r < 0.03 and len(files) > 8:
            path = rng.choice([p for p in files if p.startswith("modules/")])
            del files[path]
            changes, message = [("D", path, None)], f"Remove {os.path.basename(path)}"
        elif r < 0.06:
            name = rng.choice(SERVICES)
            path = f"modules/{name}-{n}.nix"
            files[path] = module(name, rng)
            changes, message = [("M", path, files[path])], f"Add {name} module"
        elif r < 0.08:
            old = rng.choice([p for p in files if p.startswith("modules/")])
            new = old.replace("modules/", "modules/services/")
            files[new] = files.pop(old)
            changes, message = [("D", old, None), ("M", new, files[new])], f"Move {os.path.basename(old)} under services/"
        else:
            changes = edit(files, rng)
            message = f"Tune {rng.choice(SERVICES)}: {rng.choice(['port', 'memory limit', 'retention', 'log level', 'volumes'])}"
        main_mark = commit("refs/heads/main", message, changes, [main_mark])
        n += 1
    out.append(b"reset refs/heads/topic\nfrom 0000000000000000000000000000000000000000\n")
    subprocess.run(["git", "-C", target, "fast-import", "--quiet"], input=b"".join(out), check=True)
    subprocess.run(["git", "-C", target, "update-ref", "-d", "refs/heads/topic"], check=False)
    subprocess.run(["git", "-C", target, "checkout", "-q", "-f", "main"], check=True)


def edit(files, rng):
    changes = []
    for path in rng.sample(sorted(files), k=min(len(files), rng.randint(1, 4))):
        lines = list(files[path])
        for _ in range(rng.randint(1, 6)):
            i = rng.randint(5, max(5, len(lines) - 2))
            op = rng.random()
            if op < 0.5 and i < len(lines) - 1:
                lines[i] = f"  services.x{rng.randint(1, 999)}.{rng.choice(OPTIONS).format(n=rng.randint(1, 9999), s='svc')}"
            elif op < 0.8:
                lines.insert(i, f"  # note {rng.randint(1, 1_000_000)}")
            elif len(lines) > 10 and i < len(lines) - 1:
                del lines[i]
        files[path] = lines
        changes.append(("M", path, lines))
    return changes


if __name__ == "__main__":
    main()
