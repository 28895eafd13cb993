#!/usr/bin/env bash
# Imports real NixOS configuration histories and checks that each imports completely: one
# config-edit event per commit reachable from HEAD, exit 0, and a second run that records nothing.
# Prints, per repository, the commits, the events, the import's time and git's own time for the
# same work (git log -p --stat --diff-merges=first-parent) as the baseline.
#   bench/import-real.sh REPO...      # paths of git repositories (bare ones are cloned first)
# Uses $LEDGER_DB when set, else an embedded PostgreSQL in a scratch LEDGER_HOME; LEDGER=cmd
# overrides how ledger is run (default: the Debug build, built if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || { echo "usage: bench/import-real.sh REPO..." >&2; exit 2; }
scratch=$(mktemp -d /tmp/ledger-real.XXXXXX)
chmod 755 "$scratch"   # as root, the embedded server runs as postgres and must reach LEDGER_HOME
export LEDGER_HOME="${LEDGER_HOME:-$scratch/home}"
if [ -z "${LEDGER:-}" ]; then
  dotnet build src/Ledger.Cli -c Debug -nologo -clp:ErrorsOnly >&2
  LEDGER="dotnet $(pwd)/src/Ledger.Cli/bin/Debug/net10.0/ledger.dll"
fi
failed=0
printf '| repository | commits | events | import s | git log s | ratio | second run | incomplete |\n|---|---|---|---|---|---|---|---|\n'
for src in "$@"; do
  name=$(basename "$(dirname "$src")")
  [ "$(basename "$src")" = repo ] || name=$(basename "$src")
  repo="$src"
  if [ "$(git -C "$src" rev-parse --is-bare-repository)" = true ]; then
    # A working tree when the objects allow it; a damaged repository (a lost blob) cannot be
    # cloned, so it is imported as a bare copy, which is what such a repository is about.
    repo="$scratch/$name"
    if ! git clone -q --no-local "$src" "$repo" 2>/dev/null; then
      rm -rf "$repo"; cp -r "$src" "$repo.git"; repo="$repo.git"
      [ -f "$repo/config" ] || printf '[core]\n\trepositoryformatversion = 0\n\tbare = true\n' >"$repo/config"
    fi
  fi
  host="real-$(echo "$name" | tr -c 'A-Za-z0-9\n' '-')"
  commits=$(git -C "$repo" rev-list --count HEAD)
  t0=$(date +%s.%N)
  git -C "$repo" log -p --stat --diff-merges=first-parent >/dev/null 2>&1 || true   # git itself stops at a lost object
  t1=$(date +%s.%N)
  $LEDGER import-git --repo "$repo" --host "$host" >"$scratch/$host.out" 2>"$scratch/$host.err" || { echo "import of $name failed:" >&2; cat "$scratch/$host.err" >&2; failed=1; continue; }
  t2=$(date +%s.%N)
  second=$($LEDGER import-git --repo "$repo" --host "$host" 2>/dev/null | sed -n 's/.*; \([0-9]*\) recorded.*/\1/p')
  events=$($LEDGER timeline --host "$host" --kind config-edit --all --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
  incomplete=$(grep -c '^  [0-9a-f]\{7,\}: ' "$scratch/$host.err" || true)
  git_s=$(python3 -c "print($t1 - $t0)"); imp_s=$(python3 -c "print($t2 - $t1)")
  printf '| %s | %s | %s | %.2f | %.2f | %.2fx | %s recorded | %s |\n' "$name" "$commits" "$events" "$imp_s" "$git_s" "$(python3 -c "print($imp_s / $git_s)")" "$second" "$incomplete"
  if [ "$events" != "$commits" ] || [ "$second" != 0 ]; then
    echo "$name: $events events for $commits commits, second run recorded $second" >&2
    failed=1
  fi
done
[ -n "${LEDGER_DB:-}" ] || $LEDGER db stop >/dev/null 2>&1 || true
exit $failed
