#!/usr/bin/env bash
# The Nix checks of CI (issue 9), without nixpkgs: Debian's nix-bin parses and evaluates.
#   1. every .nix file parses (nix-instantiate --parse: syntax and undefined variables);
#   2. nix/checks-to-json.nix, applied to nix/tests/checks-sample.nix, gives a checklist that
#      `ledger validate --parse-only` accepts, listing the checks in the expected order.
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
