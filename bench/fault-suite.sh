#!/usr/bin/env bash
# Fault suite (issue 7): breaks things on purpose and prints a table of what survived.
#   bench/fault-suite.sh            (builds Release first; needs git, python3, PostgreSQL binaries)
# Each row: the fault, what was expected, what was found, PASS/FAIL. Exit 1 if any row failed.
set -uo pipefail
[ -n "${FAULT_DEBUG:-}" ] && set -x
cd "$(dirname "$0")/.."
dotnet build src/Ledger.Cli -c Release -nologo -clp:ErrorsOnly >/dev/null || exit 2
ledger() { dotnet src/Ledger.Cli/bin/Release/net10.0/ledger.dll "$@"; }
work=$(mktemp -d /tmp/ledger-faults.XXXXXX)
chmod 755 "$work"   # the embedded server runs as the postgres user when this runs as root
export LEDGER_HOME="$work/home"
trap 'ledger db stop >/dev/null 2>&1; rm -rf "$work"' EXIT
rows=()
row() { rows+=("$(printf '| %s | %s | %s | %s |' "$1" "$2" "$3" "$4")"); }
sql() { psql "$(ledger db url)" -Atc "$1"; }

ledger db start >/dev/null
python3 bench/make-nixos-history.py "$work/repo" 3000 5

expected=$(git -C "$work/repo" rev-list --count HEAD)

# Waits until the import for host $1 has stored some of its events (an import takes about a
# second now, so a fixed sleep could miss it); gives up after 30 s.
mid_import() {
  for _ in $(seq 600); do
    n=$(sql "select count(*) from ledger.mt_events where data->>'host' = '$1'" 2>/dev/null || echo 0)
    [ "${n:-0}" -ge 200 ] && return 0
    sleep 0.05
  done
}

# 1. kill -9 of PostgreSQL during a long import with retries off, then a re-run.
LEDGER_DB_RETRY_SECONDS=0 ledger import-git --repo "$work/repo" --host faults >/dev/null 2>&1 &
import_pid=$!
mid_import faults
pg_pid=$(head -1 "$LEDGER_HOME/postgres/postmaster.pid")
kill -9 "$pg_pid"
wait $import_pid; first_rc=$?
ledger db start >/dev/null
ledger import-git --repo "$work/repo" --host faults >/dev/null
got=$(sql "select count(*) from ledger.mt_events where type = 'config_edited' and data->>'host' = 'faults'")
distinct=$(sql "select count(distinct data->>'sha') from ledger.mt_events where type = 'config_edited' and data->>'host' = 'faults'")
[ "$first_rc" = 2 ] && [ "$got" = "$expected" ] && [ "$distinct" = "$expected" ] && r=PASS || r=FAIL
row "kill -9 PostgreSQL mid-import, restart, re-run" "import exits 2; then $expected events, one per commit" "import exit $first_rc; $got events, $distinct distinct" $r

# 1b. the same crash with retries on (the default), PostgreSQL back within the retry window.
ledger import-git --repo "$work/repo" --host faults-retry >/dev/null 2>"$work/retry.err" &
import_pid=$!
mid_import faults-retry
pg_pid=$(head -1 "$LEDGER_HOME/postgres/postmaster.pid")
kill -9 "$pg_pid"
sleep 2
ledger db start >/dev/null
wait $import_pid; retry_rc=$?
retries=$(grep -c 'attempt [0-9]/5; waiting' "$work/retry.err")
got=$(sql "select count(*) from ledger.mt_events where type = 'config_edited' and data->>'host' = 'faults-retry'")
distinct=$(sql "select count(distinct data->>'sha') from ledger.mt_events where type = 'config_edited' and data->>'host' = 'faults-retry'")
[ "$retry_rc" = 0 ] && [ "$retries" -ge 1 ] && [ "$got" = "$expected" ] && [ "$distinct" = "$expected" ] && r=PASS || r=FAIL
row "kill -9 PostgreSQL mid-import, restart within the retry window" "import exits 0 after retrying; $expected events, one per commit" "import exit $retry_rc after $retries retries; $got events, $distinct distinct" $r

# 2. eight concurrent writer processes, each recording 10 snapshots; then seal and verify.
before=$(sql "select count(*) from ledger.mt_events")
for w in $(seq 1 8); do
  ( acks=0; for i in $(seq 1 10); do ledger snapshot storage --host "writer$w" >/dev/null 2>&1 && acks=$((acks + 1)); done; echo $acks > "$work/acks$w" ) &
done
wait
acked=$(cat "$work"/acks* | paste -sd+ | bc)
stored=$(sql "select count(*) from ledger.mt_events where data->>'host' like 'writer%'")
ledger seal >/dev/null; verify_rc=0; ledger verify >/dev/null || verify_rc=$?
[ "$acked" = "$stored" ] && [ "$verify_rc" = 0 ] && r=PASS || r=FAIL
row "8 concurrent writers x 10 appends, then seal + verify" "every acknowledged event once; verify exit 0" "$acked acknowledged, $stored stored; verify exit $verify_rc" $r

# 3. kill (exit 137) after each restore step, then restore --resume.
target_sha=$(git -C "$work/repo" rev-list HEAD | sed -n 200p)
seq=$(sql "select min(seq_id) from ledger.mt_events where stream_id = 'commit:faults:$work/repo:$target_sha'")
fake="$work/nixos-rebuild"; printf '#!/bin/sh\necho "$@" >> %s/calls\n' "$work" > "$fake"; chmod +x "$fake"
for step in lock stash commit checkout switch; do
  git -C "$work/repo" reset -q --hard HEAD
  : > "$work/calls"
  LEDGER_NIXOS_REBUILD="$fake" LEDGER_TEST_EXIT_AFTER_STEP=$step ledger restore --to "$seq" --repo "$work/repo" --host faults --yes --no-validate >/dev/null 2>&1; killed=$?
  LEDGER_NIXOS_REBUILD="$fake" ledger restore --resume --repo "$work/repo" --host faults >/dev/null 2>&1; resumed=$?
  same=$( [ "$(git -C "$work/repo" rev-parse 'HEAD^{tree}')" = "$(git -C "$work/repo" rev-parse "$target_sha^{tree}")" ] && echo yes || echo no)
  clean=$( [ -z "$(git -C "$work/repo" status --porcelain)" ] && echo yes || echo no)
  switches=$(wc -l < "$work/calls")
  [ "$killed" = 137 ] && [ "$resumed" = 0 ] && [ "$same" = yes ] && [ "$clean" = yes ] && [ "$switches" = 1 ] && r=PASS || r=FAIL
  row "restore killed after '$step', then --resume" "target tree, clean, 1 switch" "exit $killed/$resumed, tree $same, clean $clean, $switches switch" $r
  # Back to the newest commit for the next round (a restore to the latest event of the history).
  newest=$(sql "select max(seq_id) from ledger.mt_events where type = 'config_edited' and data->>'host' = 'faults' and data->>'purpose' not like 'Restore to event%'")
  LEDGER_NIXOS_REBUILD="$fake" ledger restore --to "$newest" --repo "$work/repo" --host faults --yes --no-validate >/dev/null 2>&1
done

printf '\n| fault | expected | found | result |\n|---|---|---|---|\n'
printf '%s\n' "${rows[@]}"
printf '%s\n' "${rows[@]}" | grep -q '| FAIL |' && exit 1 || exit 0
