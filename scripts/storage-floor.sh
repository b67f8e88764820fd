#!/usr/bin/env bash
# The storage floor of an intake: what SQLite, the file system and the kernel cost for the rows,
# events, view rows and files of a finished intake, with no application logic at all.
#
#   scripts/storage-floor.sh HOME [--lean | --events-only]
#
# HOME is a home a full intake has filled (the benchmark's, kept with BENCH_KEEP=1, or any
# other); the folder beside it needs as much free space as HOME takes. storage-floor.c (built here with the system's SQLite) replays its work into fresh
# databases and folders in a temporary directory beside HOME, in the order and transactions the
# intake made them (see the program's header), five times: reading only (what the replay itself
# costs: subtracted), everything (then checked against HOME: rows per table, view rows, ledger
# transactions, file bytes; a difference exits 1), and each part alone (the state store with
# the sandbox ledger, the views database, the outbox and document files). It prints wall and CPU
# time of each, less the reading-only run. `--lean` replays, reading only and everything, the
# layout the README proposed until the twenty-third round (compact events, a breakdown stored
# once, proposals updated in columns) instead of the present one; `--events-only` a store that
# keeps only its event log and the requests' rows.
#
# The replay runs on one thread; the program spreads the same work over two cores, so half the
# CPU time is the least any program writing these outputs in this layout could take here.
set -euo pipefail
cd "$(dirname "$0")/.."
HOME_DIR=${1:?usage: scripts/storage-floor.sh HOME [--lean | --events-only]}
shift
[ -f "$HOME_DIR/ezinsurance.sqlite" ] || { echo "no state store in $HOME_DIR" >&2; exit 66; }
WORK=$(mktemp -d "$(dirname "$(realpath "$HOME_DIR")")/storage-floor.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cc -O2 -Wall -Wno-format-truncation -o "$WORK/storage-floor" scripts/storage-floor.c -lsqlite3

measure() { # name, options...
  local name=$1; shift
  rm -rf "$WORK/out"
  sync
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/time" "$WORK/storage-floor" "$HOME_DIR" "$WORK/out" "$@" > "$WORK/log"
  read -r wall user sys rss < "$WORK/time"
  echo "$name $wall $user $sys $rss $(cat "$WORK/log")"
}

# The bytes of the files under the folders named, hidden temporary files left out (their sizes:
# the files are not read again).
bytes() {
  find "$@" -type f ! -name '.*' -printf '%s\n' | awk '{ n += $1 } END { print n + 0 }'
}

# The replay writes what the intake wrote: the same number of rows in each table, view rows and
# files (statuses and bytes of the present layout; --lean and --events-only change them).
check() {
  local out=$WORK/out bad=0 table a b
  for table in events requests customers plans documents proposals payments policies withdrawals alarm_recipients; do
    a=$(sqlite3 "file:$HOME_DIR/ezinsurance.sqlite?mode=ro" "SELECT count(*) FROM $table")
    b=$(sqlite3 "$out/store.sqlite" "SELECT count(*) FROM $table")
    [ "$a" = "$b" ] || { echo "replay differs: $table has $b rows, the intake's $a" >&2; bad=1; }
  done
  for table in customers customer_items requests; do
    a=$(sqlite3 "file:$HOME_DIR/views/status.sqlite?mode=ro" "SELECT count(*) FROM $table")
    b=$(sqlite3 "$out/views.sqlite" "SELECT count(*) FROM $table")
    [ "$a" = "$b" ] || { echo "replay differs: views' $table has $b rows, the intake's $a" >&2; bad=1; }
  done
  a=$(sqlite3 "file:$HOME_DIR/pg-sandbox/ledger.sqlite?mode=ro" "SELECT count(*) FROM transactions")
  b=$(sqlite3 "$out/ledger.sqlite" "SELECT count(*) FROM transactions")
  [ "$a" = "$b" ] || { echo "replay differs: the ledger has $b transactions, the intake's $a" >&2; bad=1; }
  a=$(bytes "$HOME_DIR/outbox/alarms" "$HOME_DIR/documents")
  b=$(bytes "$out/out")
  [ "$a" = "$b" ] || { echo "replay differs: $b bytes of files, the intake's $a" >&2; bad=1; }
  return $bad
}

measure reading --dry "$@" > "$WORK/results"
if [ $# = 0 ]; then
  measure everything >> "$WORK/results"
  check
  parts=("store --no-views --no-files" "views --no-store --no-files" "files --no-store --no-views")
else
  parts=("everything")
fi
for part in "${parts[@]}"; do
  # shellcheck disable=SC2086
  measure $part "$@" >> "$WORK/results"
done
awk 'NR == 1 { w0 = $2; u0 = $3; s0 = $4; printf "replay reading only: %.2f s wall, %.2f s user + %.2f s sys (subtracted below)\n", $2, $3, $4; next }
     { printf "%-12s %8.2f s wall %8.2f s CPU (%.2f user + %.2f sys)   peak RSS %6.1f MiB   %s\n", $1, $2 - w0, ($3 - u0) + ($4 - s0),
              $3 - u0, $4 - s0, $5 / 1024, substr($0, index($0, "events")) }' "$WORK/results"
