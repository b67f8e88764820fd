#!/usr/bin/env bash
# Torture test for SPEC section 9: a generated inbox, the runner killed with SIGKILL at random
# moments (and at named crash points, including between the gateway's answer and our commit),
# then run to completion, then the invariants checked.
#
#   scripts/torture.sh                      # long form: 5000 requests, 60 kills
#   scripts/torture.sh --short              # CI form: 3000 requests, 20 kills
#   scripts/torture.sh --requests N --kills K --seed S [--bin PATH] [--keep]
set -euo pipefail
cd "$(dirname "$0")/.."

REQUESTS=5000 KILLS=60 SEED=42 BIN=.build/debug/ezinsurance KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --short) REQUESTS=3000; KILLS=20 ;;
    --requests) REQUESTS=$2; shift ;;
    --kills) KILLS=$2; shift ;;
    --seed) SEED=$2; shift ;;
    --bin) BIN=$2; shift ;;
    --keep) KEEP=1 ;;
    *) echo "unknown option $1" >&2; exit 64 ;;
  esac
  shift
done
[ -x "$BIN" ] || { echo "no binary at $BIN: run swift build first" >&2; exit 64; }
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")

WORK=$(mktemp -d)
H=$WORK/home
[ "$KEEP" = 1 ] || trap 'rm -rf "$WORK"' EXIT
export EZINSURANCE_DATA="$PWD/data" EZINSURANCE_INBOX_SETTLE_SECONDS=0 EZINSURANCE_RETRY_BACKOFF_SECONDS=0
DAY=2026-12-01
ez() { "$BIN" "$@" --home "$H" --as-of "$DAY"; }

mkdir -p "$H/inbox"
ez catalog validate >/dev/null
# Small chunks: many commits per file, so kills land between them.
sed -i 's/^chunk_size: .*/chunk_size: 50/' "$H/jobs/intake.yaml"
mkdir -p "$WORK/drop"
python3 scripts/torture_generate.py --requests "$REQUESTS" --seed "$SEED" --out "$WORK/drop" --day "$DAY" --files 10 \
  > "$WORK/expected.json"
ez pg-sandbox faults --fail-every 7 >/dev/null

POINTS=(ingest-after-claim ingest-after-chunk ingest-before-archive requests-after-chunk payment-before-charge
        payment-after-charge refund-before-call refund-after-call documents-after-file views-after-chunk
        alarms-before-commit alarms-before-publish alarms-after-file)
RANDOM=$SEED
survived=0
for i in $(seq 1 "$KILLS"); do
  # Files arrive one by one between runs, so ingestion itself is killed many times.
  next=$(ls "$WORK/drop" | head -1 || true)
  if [ -n "$next" ]; then mv "$WORK/drop/$next" "$H/inbox/$next"; fi
  if (( i % 2 == 0 )); then
    point=${POINTS[$(( (i / 2) % ${#POINTS[@]} ))]}
    EZINSURANCE_CRASH_AT="$point:$((RANDOM % 3 + 1))" "$BIN" run intake --home "$H" --as-of "$DAY" -q \
      >/dev/null 2>>"$WORK/runs.log" &
    wait $! 2>/dev/null || true
  else
    "$BIN" run intake --home "$H" --as-of "$DAY" -q >/dev/null 2>>"$WORK/runs.log" &
    pid=$!
    sleep "0.$((RANDOM % 9 + 1))$((RANDOM % 10))"
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  survived=$((survived + 1))
done

mv "$WORK"/drop/* "$H/inbox/" 2>/dev/null || true
ez pg-sandbox reset-faults >/dev/null
final_ok=1
for _ in 1 2 3; do
  if ! ez run intake -q > "$WORK/final.txt" 2>>"$WORK/final.log"; then
    final_ok=0
    echo "FAIL  the run to completion after the kills failed:" >&2
    tail -3 "$WORK/final.log" >&2
  fi
done

# The views as files, before and after a rebuild from the event log.
ez views export --out "$WORK/views-incremental" >/dev/null || echo "FAIL  views export failed" >&2
ez views rebuild >/dev/null || echo "FAIL  views rebuild failed" >&2
ez views export --out "$WORK/views-rebuilt" >/dev/null || echo "FAIL  views export failed" >&2
status=0
python3 scripts/torture_check.py --home "$H" --expected "$WORK/expected.json" --views-before "$WORK/views-incremental" \
  --views-after "$WORK/views-rebuilt" --kills "$survived" || status=1
[ "$final_ok" = 1 ] || status=1
exit $status
