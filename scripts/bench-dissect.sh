#!/usr/bin/env bash
# Dissect-and-decrypt speed and memory against tshark on one large capture
# (issue 5 goals: >= 20x faster than tshark; peak RSS < 100 MB for 200 MB of
# capture when payloads are not kept). Both read the same file with the key
# log embedded; both decrypt every record.
#
#   scripts/bench-dissect.sh [MEGABYTES]      default 200
# Environment: TLSLAB_BENCH_BUILD (build folder, default build/bench);
# TLSLAB_BENCH_RUNS (runs of each program, default 3: the median is shown,
# since a shared machine makes single runs vary by tens of percent).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${TLSLAB_BENCH_BUILD:-$root/build/bench}
megabytes=${1:-200}
runs=${TLSLAB_BENCH_RUNS:-3}
command -v tshark >/dev/null || { echo "tshark is needed (scripts/setup-deps.sh installs it)"; exit 1; }

source "$root/scripts/lib/bulk-capture.sh"
bulk_capture "$root" "$build" "$megabytes" OFF tlslab_dissect_file tlslab
size_mb=$(( $(stat -L -c %s "$capture") / 1024 / 1024 ))
echo "capture: $capture ($size_mb MiB); median of $runs run(s) each; load average $(cut -d' ' -f1-3 /proc/loadavg)"

timed() {  # prints "<seconds> <peak KiB>" of the command, its stdout to $2
  local out=$1; shift
  /usr/bin/time -f "%e %M" -o "$out.time" "$@" >"$out" 2>/dev/null || true
  cat "$out.time"
}
median_of_runs() {  # runs the command $runs times; prints the median "<seconds> <peak KiB>"
  local out=$1; shift
  for ((i = 0; i < runs; i++)); do timed "$out" "$@"; done | sort -n | awk '{ a[NR] = $0 } END { print a[int((NR + 1) / 2)] }'
}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat "$capture" >/dev/null  # both programs then read it from the page cache, whichever runs first

read -r tl_s tl_kb < <(median_of_runs "$work/tlslab" "$build/bench/tlslab_dissect_file" "$capture")
read -r ts_s ts_kb < <(median_of_runs "$work/tshark" tshark -r "$capture" -Y tls -T fields -e tls.app_data)
tl_records=$(awk '/^app_records/ {print $2}' "$work/tlslab")
tl_closed=$(awk '/^undecrypted_records/ {print $2}' "$work/tlslab")
# tshark prints one line per frame holding app data, records comma-separated.
ts_records=$(tr ',' '\n' <"$work/tshark" | grep -c . || true)

python3 - "$tl_s" "$tl_kb" "$ts_s" "$ts_kb" "$tl_records" "$tl_closed" "$ts_records" "$size_mb" <<'PY'
import sys
tl_s, tl_kb, ts_s, ts_kb = (float(x) for x in sys.argv[1:5])
tl_records, tl_closed, ts_records, size_mb = (int(x) for x in sys.argv[5:9])
ratio = ts_s / tl_s if tl_s > 0 else float("inf")
print(f"  tlslab dissect (no payloads kept) {tl_s:7.2f} s  {size_mb / tl_s:8.1f} MiB/s  peak RSS {tl_kb / 1024:7.1f} MB"
      f"  {tl_records} app-data records, {tl_closed} not opened")
print(f"  tshark -Y tls -e tls.app_data     {ts_s:7.2f} s  {size_mb / ts_s:8.1f} MiB/s  peak RSS {ts_kb / 1024:7.1f} MB"
      f"  {ts_records} app-data records")
print(f"  speed: tlslab is {ratio:.1f}x tshark  ({'ok' if ratio >= 20 else 'BELOW GOAL'}: goal >= 20x)")
print(f"  memory: {tl_kb / 1024:.1f} MB peak ({'ok' if tl_kb / 1024 < 100 else 'ABOVE GOAL'}: goal < 100 MB)")
PY

# The commands users run (issue 17: each streams, so memory follows the
# connections open at once). Wall time and peak RSS, tshark's from above.
cli() {  # label, speed goal (x tshark, 0 = none), RSS goal (MB), then the tlslab arguments
  local label=$1 speed_goal=$2 rss_goal=$3; shift 3
  read -r s kb < <(median_of_runs "$work/cli" "$build/tlslab" "$@" -q)
  python3 -c "import sys
s, kb, ts, speed_goal, rss_goal = (float(x) for x in sys.argv[1:6])
ratio = ts / s if s > 0 else 0
goals = []
if speed_goal > 0: goals.append(f'speed {\"ok\" if ratio >= speed_goal else \"BELOW GOAL\"} (>= {speed_goal:g}x)')
goals.append(f'memory {\"ok\" if kb / 1024 < rss_goal else \"ABOVE GOAL\"} (< {rss_goal:g} MB)')
print(f'  {sys.argv[6]:<34}{s:7.2f} s  peak RSS {kb / 1024:7.1f} MB  {ratio:6.1f}x tshark  ' + ', '.join(goals))" \
    "$s" "$kb" "$ts_s" "$speed_goal" "$rss_goal" "$label"
  rm -f "$work/cli"
}
echo "user-facing commands (output to a file in $work; goals of issue 17):"
cli "tlslab dissect F" 20 100 dissect "$capture"
cli "tlslab dissect F --no-payloads" 0 100 dissect "$capture" --no-payloads
cli "tlslab dissect F --summary" 40 100 dissect "$capture" --summary
cli "tlslab dissect F --json" 5 150 dissect "$capture" --json
cli "tlslab dissect F --jsonl" 5 150 dissect "$capture" --jsonl
cli "tlslab follow F 0" 0 100 follow "$capture" 0
cli "tlslab export F -o OUT" 0 100 export "$capture" -o "$work/export.pcapng"
