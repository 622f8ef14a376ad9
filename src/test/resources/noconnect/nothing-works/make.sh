#!/bin/sh
# Remakes the bundled "connected but nothing works" captures (root: network namespaces) and their reports.
#   sh make.sh            every scenario afresh with src/lab/nothing-works, then the reports
#   sh make.sh reports    only the reports, from the captures here
# WGDIAG (default: the project's src/bin/wgdiag) runs analyze; the lab runs `wgdiag peer` from WGDIAG_JAR
# or WGDIAG_CLASSPATH (see src/lab/nothing-works).
set -e
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$HERE/../../../../..
WGDIAG=${WGDIAG:-$ROOT/src/bin/wgdiag}
SCENARIOS=$("$ROOT/src/lab/nothing-works" list)
if [ "${1:-}" != reports ]; then
  for s in $SCENARIOS; do "$ROOT/src/lab/nothing-works" run "$s" --out "$HERE"; done
fi
for s in $SCENARIOS; do
  d=$HERE/$s
  (cd "$HERE" && "$WGDIAG" analyze "$s/client.pcapng" --decrypt --config "$s/server.conf" --config "$s/client.conf" \
      --no-progress > "$s/report.txt" 2>/dev/null)
  (cd "$HERE" && "$WGDIAG" analyze "$s/client.pcapng" --decrypt --config "$s/server.conf" --config "$s/client.conf" \
      --no-progress --format json > "$s/report.json" 2>/dev/null)
  (cd "$HERE" && "$WGDIAG" analyze "$s/client.pcapng" --no-progress > "$s/report-no-keys.txt" 2>/dev/null)
  rm -f "$d/client.err"
done
