#!/usr/bin/env bash
# Load goals of issue 16 against `tlslab serve` and `tlslab mitm` on loopback
# (a bench, not a test: numbers depend on the machine's load):
#   1 000 concurrent handshakes, 0 failures;
#   20 000 sequential, the server's RSS after <= RSS before + 20 MB;
#   100 slowloris connections while a normal client is served in < 100 ms.
#
#   scripts/bench-load.sh [serve|mitm|both]     default both
# Environment: TLSLAB=path of tlslab (default build/dev/tlslab);
# TLSLAB_LOAD_SEQUENTIAL (20000), TLSLAB_LOAD_CONCURRENT (1000), TLSLAB_LOAD_SLOW (100).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tlslab=${TLSLAB:-$root/build/dev/tlslab}
which=${1:-both}
sequential=${TLSLAB_LOAD_SEQUENTIAL:-20000}
concurrent=${TLSLAB_LOAD_CONCURRENT:-1000}
slow=${TLSLAB_LOAD_SLOW:-100}
client="python3 $root/scripts/lib/load_client.py"
[ -x "$tlslab" ] || { echo "no tlslab at $tlslab (build it, or set TLSLAB)"; exit 1; }
ulimit -n 8192 2>/dev/null || true  # 1 000 clients and the server's sockets in one shell

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_for() {  # file text: up to 10 s
  for _ in $(seq 100); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "timed out waiting for '$2' in $1"; cat "$1"; exit 1
}
value() { awk -v k="$1" '$1 == k { print $2 }' "$2"; }
verdict() { if [ "$1" = 1 ]; then echo ok; else echo MISSED; fi; }

# Runs the three phases against HOST:PORT; PID is the process whose RSS counts.
bench() {
  local name=$1 host=$2 port=$3 pid=$4 out=$work/$1.txt
  echo "== $name ($host:$port), load average $(cut -d' ' -f1-3 /proc/loadavg)"
  $client sequential "$host" "$port" "$sequential" "$pid" >"$out"
  $client concurrent "$host" "$port" "$concurrent" >>"$out"
  $client slowloris "$host" "$port" "$slow" >>"$out"
  local before after grown_mb failed normal_max seq_failed
  before=$(value rss_before_kib "$out"); after=$(value rss_after_kib "$out")
  grown_mb=$(awk -v a="$after" -v b="$before" 'BEGIN { printf "%.1f", (a - b) / 1024 }')
  failed=$(value concurrent_failed "$out"); seq_failed=$(value sequential_failed "$out")
  normal_max=$(value normal_max_ms "$out")
  printf '  %-44s %-34s %s\n' "$concurrent concurrent handshakes" \
    "$(value concurrent_ok "$out") ok, $failed failed (goal 0)" "$(verdict "$([ "$failed" = 0 ] && echo 1)")"
  [ -n "$(value concurrent_first_failure "$out")" ] && grep concurrent_first_failure "$out" | sed 's/^/    /'
  printf '  %-44s %-34s %s\n' "$sequential sequential ($(value sequential_per_s "$out")/s, $seq_failed failed)" \
    "RSS $((before / 1024)) -> $((after / 1024)) MiB (+$grown_mb, goal <= +20)" \
    "$(verdict "$(awk -v g="$grown_mb" -v f="$seq_failed" 'BEGIN { print (g <= 20 && f == 0) }')")"
  printf '  %-44s %-34s %s\n' "$slow slowloris + $(value normal_clients_timed "$out") normal clients" \
    "median $(value normal_median_ms "$out") ms, max $normal_max ms (goal < 100)" \
    "$(verdict "$(awk -v m="$normal_max" 'BEGIN { print (m < 100) }')")"
}

server_port=$(free_port)
"$tlslab" serve --port "$server_port" >"$work/serve.log" 2>&1 &
pids+=($!); server_pid=$!
wait_for "$work/serve.log" "serving"
if [ "$which" = serve ] || [ "$which" = both ]; then
  bench serve 127.0.0.1 "$server_port" "$server_pid"
fi
if [ "$which" = mitm ] || [ "$which" = both ]; then
  proxy_port=$(free_port)
  "$tlslab" mitm --listen 127.0.0.66 --port "$proxy_port" --target 127.0.0.1 --target-port "$server_port" \
    >"$work/mitm.log" 2>&1 &
  pids+=($!); proxy_pid=$!
  wait_for "$work/mitm.log" "proxy on"
  bench mitm 127.0.0.66 "$proxy_port" "$proxy_pid"
fi
