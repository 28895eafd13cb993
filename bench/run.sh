#!/usr/bin/env bash
# The benchmark, from a fresh clone, in one command: publishes Ledger as it ships (Release,
# ReadyToRun) into a temporary folder, and ledger-bench (tools/Ledger.Bench) beside it, and runs
# every workload next to its same-run baseline, the whole-process ones on that published ledger.
#   bench/run.sh                      # against $LEDGER_DB, else the embedded PostgreSQL
#   bench/run.sh --events 200000      # a smaller dataset; see 'ledger-bench run --help'
#   bench/run.sh --only real --real ~/src/nix-config --real ~/src/dotfiles   # real histories, whole-process import
# Prints progress on stderr and a Markdown table on stdout (docs/performance.md holds the latest).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d /tmp/ledger-bench-publish.XXXXXX)
trap 'rm -rf "$out"' EXIT
rid=linux-$(uname -m | sed -e 's/x86_64/x64/' -e 's/aarch64/arm64/')
echo "publishing Release ($rid, ReadyToRun) into $out ..." >&2
dotnet publish src/Ledger.Cli -c Release -r "$rid" --self-contained false -p:PublishReadyToRun=true -o "$out" -nologo -clp:ErrorsOnly >&2
dotnet publish tools/Ledger.Bench -c Release -r "$rid" --self-contained false -p:PublishReadyToRun=true -o "$out/bench" -nologo -clp:ErrorsOnly >&2
"$out/bench/ledger-bench" run --ledger "$out/ledger" "$@"
