#!/usr/bin/env bash
# How a large capture opens in tlslab-gui (issue 8 quality bar): first
# connections listed, fully loaded, the longest event-loop stall, peak RSS.
# Uses the bulk capture of scripts/bench-dissect.sh (made once, from real lab
# runs).
#
#   scripts/bench-gui-open.sh [MEGABYTES]      default 200
# Environment: TLSLAB_BENCH_BUILD (build folder, default build/bench).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${TLSLAB_BENCH_BUILD:-$root/build/bench}
megabytes=${1:-200}

source "$root/scripts/lib/bulk-capture.sh"
bulk_capture "$root" "$build" "$megabytes" ON tlslab_gui_open_capture
cat "$capture" >/dev/null  # warm the page cache: time the GUI, not the disk
echo "capture: $capture ($(( $(stat -L -c %s "$capture") / 1024 / 1024 )) MiB), load average $(cut -d' ' -f1 /proc/loadavg)"
out=$(TLSLAB_HOME="$root" "$build/bench/tlslab_gui_open_capture" "$capture" 2>/dev/null)
value() { awk -v k="$1" '$1 == k {print $2}' <<<"$out"; }
python3 - "$(stat -L -c %s "$capture")" "$(value first_connections_ms)" "$(value first_connections_count)" "$(value loaded_ms)" \
  "$(value connections)" "$(value payloads_ms)" "$(value longest_stall_ms)" "$(value peak_rss_kb)" <<'PY'
import sys
size, first, first_count, loaded, conns, payloads, stall, rss = (int(x) for x in sys.argv[1:9])
print(f"  first connections listed  {first / 1000:6.2f} s ({first_count} of them)   "
      f"({'ok' if 0 <= first <= 2000 else 'ABOVE GOAL'}: goal <= 2 s)")
print(f"  fully loaded              {loaded / 1000:6.2f} s ({conns} connections)")
print(f"  first connection's data   {(payloads - loaded) / 1000:6.2f} s after that (read again from the file)")
print(f"  longest event-loop stall  {stall:6d} ms   ({'ok' if stall <= 250 else 'ABOVE GOAL'}: goal <= 250 ms, never blocks)")
ratio = rss * 1024 / size
print(f"  peak RSS                  {rss / 1024:6.1f} MB = {ratio:.2f}x the file   "
      f"({'ok' if ratio <= 1.0 else 'ABOVE GOAL'}: goal <= 1.0x the file size)")
PY
