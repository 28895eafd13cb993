#!/usr/bin/env python3
"""Regenerate nix/deps.json, the NuGet packages that nix/package.nix (buildDotnetModule) needs.

    python3 nix/update-deps.py            # rewrite nix/deps.json
    python3 nix/update-deps.py --check    # exit 1 if nix/deps.json is out of date

How it works, without Nix:

1. Copy the projects the package builds and tests (src/Ledger.{Core,Store,Capture,App,Cli,Hook}
   and tests/Ledger.Core.Tests, the unit tests doCheck runs; without bin/ and obj/) and the files
   at the root that the build reads (Directory.*.props, global.json, .editorconfig, nuget.config)
   to a temporary folder, so the working tree's obj/ is left alone.
2. `dotnet restore PROJECT --runtime RID` there for Ledger.Cli, Ledger.Hook and Ledger.Core.Tests,
   once per RID that the flake builds (linux-x64, linux-arm64), as buildDotnetModule restores
   with --runtime. The NuGet global packages folder (~/.nuget/packages, or $NUGET_PACKAGES) is
   used, so already restored packages are not downloaded again.
3. Read the lock data NuGet wrote, obj/project.assets.json: every "libraries" entry of type
   "package" is a package of the closure. Packs the SDK downloads for itself
   ("downloadDependencies": app hosts, runtime packs) are not listed: Nix's dotnet-sdk ships them.
4. For each package, take the .nupkg from the global packages folder, check its SHA-512 against
   the .nupkg.sha512 that NuGet stored when it verified the download, and write its SHA-256 as an
   SRI hash. That is what nixpkgs' own fetch-deps / nuget-to-json writes, so regenerating with
   `nix build .#default.fetch-deps && ./result nix/deps.json` on a machine with Nix gives the
   same file. A package restored from a source other than nuget.org gets a "url" field.

The output is the JSON list that buildDotnetModule's `nugetDeps = ./deps.json` reads:
[{"pname": "Serilog", "version": "4.4.0", "hash": "sha256-..."}], sorted like nuget-to-json
(by lower-cased id, then version).
"""

import argparse
import base64
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECTS = ["src/Ledger.Core", "src/Ledger.Store", "src/Ledger.Capture", "src/Ledger.App", "src/Ledger.Cli", "src/Ledger.Hook", "tests/Ledger.Core.Tests"]
# What buildDotnetModule restores: projectFile and testProjectFile of nix/package.nix.
RESTORED = ["src/Ledger.Cli", "src/Ledger.Hook", "tests/Ledger.Core.Tests"]
ROOT_FILES = ["Directory.Build.props", "Directory.Packages.props", "global.json", ".editorconfig", "nuget.config", "NuGet.Config"]
RIDS = ["linux-x64", "linux-arm64"]
NUGET_ORG = "https://api.nuget.org/v3/index.json"


def packages_folder() -> Path:
    env = os.environ.get("NUGET_PACKAGES")
    return Path(env) if env else Path.home() / ".nuget" / "packages"


def copy_sources(dest: Path) -> None:
    ignore = shutil.ignore_patterns("bin", "obj")
    for project in PROJECTS:
        shutil.copytree(ROOT / project, dest / project, ignore=ignore)
    for name in ROOT_FILES:
        if (ROOT / name).is_file():
            shutil.copy2(ROOT / name, dest / name)


def restore(tree: Path, project: str, rid: str) -> dict:
    folder = tree / project
    csproj = folder / f"{Path(project).name}.csproj"
    command = ["dotnet", "restore", str(csproj), "--runtime", rid, "-p:SelfContained=false", "-p:NuGetAudit=false", "-p:PublishHook=false", "-nologo", "-verbosity:quiet"]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"update-deps: dotnet restore {project} --runtime {rid} failed:\n{result.stdout}{result.stderr}")
    with open(folder / "obj" / "project.assets.json", encoding="utf-8") as f:
        return json.load(f)


def closure(assets: dict) -> dict:
    """{lower-cased id: (id, version)} for every package library in project.assets.json."""
    found = {}
    for key, library in assets["libraries"].items():
        if library.get("type") != "package":
            continue
        name, version = key.split("/", 1)
        found[(name.lower(), version.lower())] = (name, version)
    return found


def entry(packages: Path, name: str, version: str) -> dict:
    folder = packages / name.lower() / version.lower()
    nupkg = folder / f"{name.lower()}.{version.lower()}.nupkg"
    stored = folder / f"{nupkg.name}.sha512"
    if not nupkg.is_file() or not stored.is_file():
        sys.exit(f"update-deps: {nupkg} or its .sha512 is missing; run dotnet restore first")
    data = nupkg.read_bytes()
    if base64.b64encode(hashlib.sha512(data).digest()).decode() != stored.read_text().strip():
        sys.exit(f"update-deps: {nupkg} does not match {stored.name}; delete {folder} and restore again")
    result = {
        "pname": name,
        "version": version.lower(),
        "hash": "sha256-" + base64.b64encode(hashlib.sha256(data).digest()).decode(),
    }
    metadata = folder / ".nupkg.metadata"
    source = json.loads(metadata.read_text()).get("source") if metadata.is_file() else None
    if source and source != NUGET_ORG:
        # nuget-to-json does the same for other feeds: buildDotnetModule fetches from this URL.
        result["url"] = f"{source.rstrip('/')}/{name.lower()}/{version.lower()}/{nupkg.name}"
    return result


def generate() -> tuple[str, int]:
    packages = packages_folder()
    found = {}
    with tempfile.TemporaryDirectory(prefix="ledger-deps-") as tmp:
        tree = Path(tmp)
        copy_sources(tree)
        for rid in RIDS:
            for project in RESTORED:
                found.update(closure(restore(tree, project, rid)))
    entries = [entry(packages, name, version) for (name, version) in found.values()]
    entries.sort(key=lambda e: (e["pname"].lower(), e["version"]))
    return json.dumps(entries, indent=2) + "\n", len(entries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with nix/deps.json instead of writing it")
    parser.add_argument("--output", type=Path, default=ROOT / "nix" / "deps.json")
    args = parser.parse_args()
    text, count = generate()
    if args.check:
        current = args.output.read_text() if args.output.is_file() else ""
        if current != text:
            sys.exit(f"update-deps: {args.output} is out of date; run python3 nix/update-deps.py")
        print(f"{args.output}: up to date ({count} packages)")
        return
    args.output.write_text(text)
    print(f"wrote {args.output} ({count} packages)")


if __name__ == "__main__":
    main()
