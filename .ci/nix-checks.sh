#!/usr/bin/env bash
# The Nix checks of CI (issue 9), without nixpkgs: Debian's nix-bin parses and evaluates.
#   1. every .nix file parses (nix-instantiate --parse: syntax and undefined variables);
#   2. nix/checks-to-json.nix, applied to nix/tests/checks-sample.nix, gives a checklist that
#      `ledger validate --parse-only` accepts, listing the checks in the expected order.
#   3. nix/module.nix and the flake's module check evaluate with nixpkgs' lib (../shared/nixpkgs-lib);
#   4. nix/deps.json is up to date (nix/update-deps.py --check).
# Needs the solution built (it runs ledger with --no-build). Called by .ci/run after the format step.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v nix-instantiate >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq nix-bin >/dev/null
fi
nix-instantiate --version

# nix-instantiate wants a writable state directory even for --parse/--eval; keep it private.
work=$(mktemp -d /tmp/ledger-nix-checks.XXXXXX)
trap 'rm -rf "$work"' EXIT
export NIX_STATE_DIR="$work/state" NIX_LOG_DIR="$work/log" HOME="$work/home"
mkdir -p "$NIX_STATE_DIR" "$NIX_LOG_DIR" "$HOME"

echo "-- parse every .nix file"
count=0
while IFS= read -r -d '' file; do
  nix-instantiate --parse "$file" >/dev/null
  echo "ok  $file"
  count=$((count + 1))
done < <(git ls-files -z --cached --others --exclude-standard -- '*.nix')
[ "$count" -gt 0 ] || { echo "no .nix files found" >&2; exit 1; }

echo "-- evaluate nix/tests/checks-sample.nix and feed it to ledger validate --parse-only"
nix-instantiate --eval --strict --json nix/tests/checks-sample.nix > "$work/sample.json"
python3 - "$work/sample.json" "$work/checks.json" "$work/expected.json" <<'PY'
import json, sys
sample = json.load(open(sys.argv[1]))
open(sys.argv[2], "w").write(sample["json"])
json.dump(sample["expected"], open(sys.argv[3], "w"))
PY
LEDGER_HOME="$work/ledger-home" dotnet run --project src/Ledger.Cli --no-build -- \
  validate --config "$work/checks.json" --parse-only --json > "$work/parsed.json"
python3 - "$work/parsed.json" "$work/expected.json" <<'PY'
import json, sys
parsed = [c["name"] for c in json.load(open(sys.argv[1]))]
expected = json.load(open(sys.argv[2]))
if parsed != expected:
    sys.exit(f"ledger listed {parsed}, expected {expected}")
print(f"ok  ledger accepted all {len(parsed)} checks of the sample, in order")
PY

echo "-- evaluate nix/module.nix and flake.nix with nixpkgs' lib (issue 21)"
lib="${LEDGER_NIXPKGS_LIB:-}"
if [ -z "$lib" ]; then
  dir=$(pwd)
  while [ "$dir" != / ]; do
    if [ -f "$dir/shared/nixpkgs-lib/lib/default.nix" ]; then lib="$dir/shared/nixpkgs-lib/lib"; break; fi
    dir=$(dirname "$dir")
  done
fi
if [ -n "$lib" ] && [ -f "$lib/default.nix" ]; then
  nix-instantiate --eval --strict --json nix/tests/module-eval.nix --arg lib "import $lib" \
    --arg configuration '{ services.ledger.enable = true; services.ledger.webhook.enable = true; }' > "$work/module.json"
  python3 - "$work/module.json" <<'PY'
import json, sys
result = json.load(open(sys.argv[1]))
if result["failedAssertions"] or result["warnings"]:
    sys.exit(f"module: {result['failedAssertions']} {result['warnings']}")
print("ok  the module evaluates: " + ", ".join(sorted(result["services"])))
PY
  nix-instantiate --eval --strict --json -E "let lib = import $lib; pkgs = { inherit lib; writeText = builtins.toFile; runCommand = n: a: s: a; }; in (import ./nix/tests/module-check.nix { inherit pkgs; }).facts" \
    | python3 -c 'import json, sys; print("".join("ok  " + l + "\n" for l in json.load(sys.stdin).splitlines()), end="")'
  echo "   (the test suite's NixModuleEvalSpecs and NixFlakeSpecs evaluate many more cases)"
else
  echo "skip: nixpkgs' lib is not at ../shared/nixpkgs-lib/lib (set LEDGER_NIXPKGS_LIB); the module evaluation tests skip too"
fi

echo "-- nix/deps.json lists every NuGet package of the package build and its unit tests"
python3 nix/update-deps.py --check
