#!/usr/bin/env bash
# Screenshots a reconciliation report (or any self-contained HTML file) with headless Chromium.
#
#   scripts/screenshot-report.sh var/reports/reconcile-2026-12-01.html [out.png] [width] [height]
#
# The report needs no network: Chromium runs with networking proxied to nowhere, so a page
# that tried to load anything external would show it broken. Install Chromium with
# `apt-get install -y chromium` (Debian/Ubuntu); fonts-noto-cjk renders the Korean text.
set -euo pipefail

html="${1:?usage: $0 REPORT.html [OUT.png] [WIDTH] [HEIGHT]}"
out="${2:-${html%.html}.png}"
width="${3:-1200}"
height="${4:-1600}"

browser=""
for candidate in chromium chromium-browser google-chrome chrome; do
    if command -v "$candidate" >/dev/null 2>&1; then browser="$candidate"; break; fi
done
if [[ -z "$browser" ]]; then
    echo "screenshot-report: no Chromium found (apt-get install -y chromium); skipped" >&2
    exit 0
fi
[[ -f "$html" ]] || { echo "screenshot-report: no such file: $html" >&2; exit 66; }

abs="$(cd "$(dirname "$html")" && pwd)/$(basename "$html")"
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT

"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --user-data-dir="$profile" --proxy-server="127.0.0.1:9" --proxy-bypass-list="<-loopback>" \
    --window-size="${width},${height}" --screenshot="$out" "file://$abs" >/dev/null 2>&1

[[ -s "$out" ]] || { echo "screenshot-report: Chromium wrote no screenshot" >&2; exit 70; }
echo "$out"
