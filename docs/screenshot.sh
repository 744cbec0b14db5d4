#!/usr/bin/env bash
# Renders an HTML report of racah to a PNG with headless Chromium (Debian: apt-get install
# chromium), offline: no network, a throw-away profile. Usage:
#   docs/screenshot.sh racah-report.html docs/report.png [WIDTH,HEIGHT]
set -euo pipefail
html=$(realpath "$1")
png=$(realpath -m "$2")
size=${3:-1280,1600}
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then
  echo "screenshot.sh: no chromium found (Debian: apt-get install chromium)" >&2
  exit 1
fi
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$profile" --screenshot="$png" --window-size="$size" "file://$html" \
  2>/dev/null
echo "wrote $png"
