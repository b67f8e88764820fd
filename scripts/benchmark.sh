#!/usr/bin/env bash
# Throughput benchmark (issue: a million applications a night). In one run on this machine:
#   1. generates N requests (ezinsurance generate, deterministic),
#   2. times the full intake on a fresh home (ingest through ACTIVE contracts, documents, views, alarms),
#   3. times a rerun of the same inbox (the same file dropped again: must do nothing),
#   4. times an incremental run of N/100 new requests on top of that history,
#   5. times the physical bound: the sqlite3 shell importing the same requests as CSV into one table,
# and prints throughput, the ratio to the bound, peak RSS of each, and the profile by stage.
#
#   scripts/benchmark.sh [N]        # default 10000; CI runs a small N to prove it works
#   BENCH_KEEP=1 scripts/benchmark.sh N   # keep the work folder (requests, home) afterwards
#   BENCH_FLOOR=1 scripts/benchmark.sh N  # also the storage floor of the full intake (scripts/storage-floor.sh)
#   BENCH_SKIP_BUILD=1 BENCH_BIN=.build/debug/ezinsurance BENCH_FLOOR=1 scripts/benchmark.sh 2000   # as CI runs it
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000}
DAY=2026-12-01
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then swift build -c release >/dev/null; fi
# BENCH_BIN: another binary (CI runs the debug build at a small N, to prove the script works).
BIN=${BENCH_BIN:-$PWD/.build/release/ezinsurance}
WORK=$(mktemp -d)
# BENCH_KEEP=1 keeps the generated requests and the home (to inspect, or to time more reruns).
if [ "${BENCH_KEEP:-0}" = 1 ]; then trap 'echo "kept: $WORK"' EXIT; else trap 'rm -rf "$WORK"' EXIT; fi
export EZINSURANCE_DATA="$PWD/data" EZINSURANCE_INBOX_SETTLE_SECONDS=0
H=$WORK/home
mkdir -p "$H/inbox"

measure() { # label, then the command; prints seconds, peak RSS (MiB), CPU seconds and disk reads, keeps stdout in $WORK/out
  local label=$1; shift
  # The previous run's writes go to disk first: otherwise the first fsync of the next run
  # (a no-op rerun included) waits for gigabytes of the earlier run's dirty pages.
  sync
  /usr/bin/time -f "%e %M %U %S %I" -o "$WORK/time" "$@" > "$WORK/out" 2>"$WORK/err" || { cat "$WORK/err" >&2; exit 1; }
  read -r secs kb user sys inputs < "$WORK/time"
  # CPU time (user + system, all threads) moves less from day to day than wall time; the
  # reads from disk (512-byte blocks the kernel read for the process, not served from the page
  # cache) say how much of the history had to come back from the disk.
  printf '%-34s %8.2f s  %10.0f /s  peak RSS %6.1f MiB  CPU %.1f s user + %.1f s sys  read from disk %.1f MiB\n' \
    "$label" "$secs" "$(echo "$N2 / ($secs + 0.0001)" | bc -l)" "$(echo "$kb / 1024" | bc -l)" "$user" "$sys" \
    "$(echo "$inputs / 2048" | bc -l)"
  echo "$secs $kb" > "$WORK/last"
}

stages() { # the profile by stage of the last measured run (its summary lines, with seconds)
  sed -n '/^  [a-z]*:/p' "$WORK/out" | grep -v "^  lines\|outputs" | sed 's/^/    /'
}

"$BIN" generate --home "$H" --as-of "$DAY" --count "$N" --seed 1 --out "$WORK/requests.jsonl" >/dev/null
"$BIN" generate --home "$H" --as-of "$DAY" --count "$N" --seed 1 --format csv --out "$WORK/requests.csv" >/dev/null
"$BIN" generate --home "$H" --as-of "$DAY" --count "$((N / 100 + 1))" --seed 2 --prefix INC --out "$WORK/increment.jsonl" >/dev/null
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(swift --version 2>&1 | head -1)"
echo "requests: $N ($(du -h "$WORK/requests.jsonl" | cut -f1) JSON Lines)"

# On ext4 without a journal, files created within minutes of a mass deletion (the previous
# benchmark's work folder) cost ten times as much while the freed inodes' table blocks are in
# the page cache: as root, the caches are dropped first so that runs compare.
sync
# (A container may show the file writable to root and still refuse: then nothing is dropped.)
if [ -w /proc/sys/vm/drop_caches ] && (echo 3 > /proc/sys/vm/drop_caches) 2>/dev/null; then
  echo "page cache dropped before the full intake"
fi
cp "$WORK/requests.jsonl" "$H/inbox/"
N2=$N measure "full intake (fresh home)" "$BIN" run intake --home "$H" --as-of "$DAY" -q
read -r full full_kb < "$WORK/last"
stages
# BENCH_FLOOR=1: the storage floor of this intake (scripts/storage-floor.sh: its rows, events,
# view rows and files replayed with no application logic), before the reruns add to the home.
if [ "${BENCH_FLOOR:-0}" = 1 ]; then
  echo "storage floor of the full intake (replayed on one thread, the replay's reading subtracted):"
  scripts/storage-floor.sh "$H" | sed 's/^/    /'
fi
cp "$WORK/requests.jsonl" "$H/inbox/requests-again.jsonl"
N2=$N measure "rerun of the same inbox" "$BIN" run intake --home "$H" --as-of "$DAY" -q
read -r rerun _ < "$WORK/last"
# The rerun must do nothing: the file is a duplicate and no stage finds work.
if ! grep -q "duplicate files 1" "$WORK/out" || grep -E '^  (requests|expire|payments|withdrawals|documents|alarms):' "$WORK/out" | grep -qv 'nothing to do'; then
  echo "the rerun of the same inbox did work:" >&2; cat "$WORK/out" >&2; exit 1
fi
cp "$WORK/increment.jsonl" "$H/inbox/"
N2=$((N / 100 + 1)) measure "incremental 1% on top of history" "$BIN" run intake --home "$H" --as-of "$DAY" -q
read -r incremental incremental_kb < "$WORK/last"
stages

# The physical bound: sqlite3 importing the same requests as CSV into one table.
N2=$N measure "bound: sqlite3 .import of the CSV" sqlite3 "$WORK/bound.sqlite" \
  -cmd ".mode csv" -cmd ".import $WORK/requests.csv requests" "SELECT COUNT(*) FROM requests"
read -r bound _ < "$WORK/last"
printf 'full intake / bound: %.1fx the time of the bound\n' "$(echo "$full / ($bound + 0.0001)" | bc -l)"

# The issue's targets (2 cores, release build), judged at the sizes they name: 1M requests in
# 60 s, a no-op rerun of them in 2 s, 10k more on that history in 2 s, peak RSS within 256 MiB
# at 100k and at 1M. A target not met is reported, not an error: the figures are the result.
target() { # what, value, limit, unit
  local verdict="not met"
  if [ "$(echo "$2 <= $3" | bc -l)" = 1 ]; then verdict=met; fi
  printf 'target: %-40s %8.2f %-3s (at most %s): %s\n' "$1" "$2" "$4" "$3" "$verdict"
}
if [ "$N" = 1000000 ]; then
  target "1M requests end to end" "$full" 60 s
  target "no-op rerun of the 1M inbox" "$rerun" 2 s
  target "10k more requests on the 1M history" "$incremental" 2 s
  target "peak RSS of the incremental run" "$(echo "$incremental_kb / 1024" | bc -l)" 256 MiB
fi
if [ "$N" = 1000000 ] || [ "$N" = 100000 ]; then
  target "peak RSS of the full intake" "$(echo "$full_kb / 1024" | bc -l)" 256 MiB
fi
