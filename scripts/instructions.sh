#!/usr/bin/env bash
# CPU work of a full intake, counted in instructions: valgrind's callgrind runs a fresh-home
# intake of N generated requests (seed 1) with each binary named and prints the instructions
# it executed. Unlike seconds, the count does not move with the machine's speed (this machine
# kind's speed moves by up to half within an hour), so two builds compare to within about
# half a percent (the threads interleave differently from run to run, which changes how the
# consumers batch their work); a change of 1% shows.
#
#   scripts/instructions.sh [N] [BIN...]     # default N 2000 (about a minute per binary), BIN the release build
#   CG_KEEP=1 scripts/instructions.sh 2000 A B   # keep each callgrind file, for callgrind_annotate
#
# With CG_KEEP=1 the callgrind files are kept, one per thread: -01 is the job's own thread (the
# stages, one after the other: the run's critical path), -03 the consumers' thread. A thread's
# own count is not a yardstick: the job's thread takes part in the stage workers' parallel maps
# (documents, line checks), so its share moves by up to 5% from run to run; the total does not.
#
# Counted: user-space instructions of every thread (not the kernel's, not waiting). SHA-256
# is counted without the CPU's SHA extensions, which valgrind does not emulate, so hashing
# weighs more here than it takes on the machine. Needs valgrind (`apt-get install valgrind`);
# each binary is copied without its debug information first (valgrind 3.19 cannot read the
# DWARF 5 that Swift writes).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-2000}
shift || true
BINS=("$@")
if [ ${#BINS[@]} = 0 ]; then
  swift build -c release >/dev/null
  BINS=("$PWD/.build/release/ezinsurance")
fi
command -v valgrind >/dev/null || { echo "valgrind is not installed (apt-get install valgrind)" >&2; exit 69; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export EZINSURANCE_DATA="$PWD/data" EZINSURANCE_INBOX_SETTLE_SECONDS=0
"${BINS[0]}" generate --home "$WORK/gen" --as-of 2026-12-01 --count "$N" --seed 1 --out "$WORK/requests.jsonl" >/dev/null
for bin in "${BINS[@]}"; do
  copy=$WORK/bin
  strip --strip-debug -o "$copy" "$bin"
  home=$WORK/home
  rm -rf "$home"
  mkdir -p "$home/inbox"
  cp "$WORK/requests.jsonl" "$home/inbox/"
  out=$WORK/callgrind.out
  rm -f "$out" "$out"-*
  valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file="$out" "$copy" run intake --home "$home" --as-of 2026-12-01 -q \
    > "$WORK/log" 2>&1 || { tail -20 "$WORK/log" >&2; exit 1; }
  total=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$WORK/log" | tail -1)
  printf '%-50s %15s instructions  %10s per request (start-up included)\n' "$bin" \
    "$(printf "%'d" "$total")" "$(printf "%'d" $((total / N)))"
  if [ "${CG_KEEP:-0}" = 1 ]; then
    kept=$(mktemp -d /tmp/callgrind.XXXXXX)
    cp "$out"-* "$kept"/
    echo "  callgrind files, one per thread (-01 is the job's): $kept (callgrind_annotate --inclusive=yes FILE | swift demangle --simplified)"
  fi
done
