#!/bin/sh
# ledger: the front door of a published Ledger (`dotnet publish src/Ledger.Cli -r linux-x64`),
# installed as `ledger` beside `ledger-cli` (the .NET program) and `ledger-hook` (the same
# `record commit` and `import-git`, compiled ahead of time). Those two command lines go straight to
# ledger-hook, which hands anything unusual back to ledger-cli; everything else, and everything
# ledger-hook hands back (LEDGER_FROM_HOOK set), goes to ledger-cli. Without this door each import
# paid some 25 ms of .NET start-up only to be handed to ledger-hook (docs/operations.md at its top,
# docs/architecture.md under the import; nix/module.nix does the same for the NixOS package).
self=$0
if [ -L "$self" ]; then
  self=$(readlink -f -- "$self")
fi
case "$self" in
  */*) here=${self%/*} ;;
  *) here=. ;;
esac

cli="$here/ledger-cli"
if [ ! -x "$cli" ]; then
  echo "ledger: $cli is missing: the published ledger needs ledger-cli beside it. Publish Ledger again (docs/operations.md) or run ledger-cli from where it is." >&2
  exit 2
fi

# ledger-hook is built for x86-64-v2 on x86-64 (SSE4.2 and POPCNT, which /proc/cpuinfo shows as
# sse4_2); an older processor would stop it before its first instruction, so ledger-cli runs
# those commands itself there.
hook=
if [ -z "${LEDGER_FROM_HOOK:-}" ] && [ -x "$here/ledger-hook" ]; then
  case "${1:-} ${2:-}" in
    "import-git "* | "record commit") hook=1 ;;
    "--db "*)
      case "${3:-} ${4:-}" in
        "import-git "* | "record commit") hook=1 ;;
      esac
      ;;
  esac
  if [ -n "$hook" ] && { [ "$(uname -m)" != x86_64 ] || grep -qm1 -w sse4_2 /proc/cpuinfo; }; then
    exec "$here/ledger-hook" "$@"
  fi
fi

exec "$cli" "$@"
