#!/usr/bin/env bash
# Live capture under bursts (issue 16 item 11): replays a real TLS 1.3 transfer
# with tcpreplay while `tlslab capture` and tcpdump capture the same replay at
# the same time, and prints what each kept and dropped.
# Goals: 0 drops at 1 Gbit/s, and never fewer packets than tcpdump.
#
#   scripts/bench-capture-drops.sh [MEGABYTES]   transfer size, default 2
# Environment: TLSLAB (the tlslab binary, default build/dev/tlslab).
# Everything runs in a network namespace of its own with lo at MTU 1500, so the
# recorded segments are ordinary Ethernet-sized frames tcpreplay can send, and
# the host's loopback sees none of it. Needs root, tcpreplay, tcpdump, ethtool, openssl, curl.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tlslab=${TLSLAB:-$root/build/dev/tlslab}
megabytes=${1:-2}
for tool in tcpreplay tcpdump openssl curl ip ethtool; do
  command -v "$tool" >/dev/null || { echo "bench-capture-drops: $tool is needed (apt-get install tcpreplay tcpdump ethtool)"; exit 1; }
done
[[ -x "$tlslab" ]] || { echo "bench-capture-drops: no tlslab at $tlslab (build first)"; exit 1; }
[[ $EUID -eq 0 ]] || { echo "bench-capture-drops: needs root (network namespace, capture)"; exit 1; }

ns=tlslab-drops-$$
work=$(mktemp -d)
cleanup() {
  ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
ip netns add "$ns"
ip -n "$ns" link set lo mtu 1500 up
# No segmentation offload: the capture then holds MTU-sized frames as on a wire
# (with it, lo shows 64 KiB super-segments that tcpreplay cannot send).
ip netns exec "$ns" ethtool -K lo tso off gso off gro off >/dev/null 2>&1 || true
in_ns() { ip netns exec "$ns" "$@"; }
port=4433

# 1. A real transfer: OpenSSL's server, curl's client, recorded by tcpdump.
head -c $((megabytes * 1024 * 1024)) /dev/urandom >"$work/blob"
(cd "$work" && exec ip netns exec "$ns" openssl s_server -quiet -accept "127.0.0.1:$port" -WWW \
  -cert "$root/certs/bank32-rsa/chain.pem" -key "$root/certs/bank32-rsa/key.pem" >/dev/null 2>&1) &
server=$!
ip netns exec "$ns" tcpdump -i lo -s 0 -U -w "$work/transfer.pcap" "tcp port $port" 2>/dev/null &
recorder=$!
sleep 1
in_ns curl -sk --tlsv1.3 -o /dev/null "https://127.0.0.1:$port/blob"
sleep 0.5
# SIGTERM: background jobs of a script ignore SIGINT.
kill -TERM "$recorder"; wait "$recorder" || true
kill -TERM "$server" 2>/dev/null || true
packets=$(tcpdump -r "$work/transfer.pcap" 2>/dev/null | wc -l)
echo "replay source: $megabytes MiB TLS 1.3 transfer (openssl s_server -> curl), $packets packets; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
printf '%-12s %10s %14s %14s %14s %14s  %s\n' rate replayed "tlslab kept" "tlslab drops" "tcpdump kept" "tcpdump drops" verdict
status=0
for rate in 100 1000 topspeed; do
  args=(--mbps "$rate"); [[ $rate == topspeed ]] && args=(--topspeed)
  # Replayed frames reach the namespace's stack too (it answers with resets):
  # both captures see those as well, so the comparison stays fair.
  ip netns exec "$ns" "$tlslab" capture -i lo -f "tcp port $port" -q >"$work/tlslab.out" 2>"$work/tlslab.err" &
  tl=$!
  ip netns exec "$ns" tcpdump -i lo -w /dev/null "tcp port $port" 2>"$work/tcpdump.err" &
  td=$!
  sleep 1.5
  in_ns tcpreplay -q -i lo "${args[@]}" "$work/transfer.pcap" >"$work/replay.out" 2>&1 || true
  sleep 1.5
  kill -TERM "$tl" "$td"; wait "$tl" || true; wait "$td" || true
  read -r tl_kept tl_drop < <(awk '/packets captured/ { for (i = 1; i <= NF; i++) if ($i == "dropped") d = $(i-1); print $1, d; exit }' "$work/tlslab.out")
  td_kept=$(awk '/packets captured/ {print $1}' "$work/tcpdump.err")
  td_drop=$(awk '/dropped by kernel/ {print $1}' "$work/tcpdump.err")
  verdict=ok
  if [[ $rate != topspeed && ${tl_drop:-1} -ne 0 ]]; then verdict="FAIL: drops"; status=1; fi
  if (( ${tl_kept:-0} < ${td_kept:-0} )); then verdict="FAIL: fewer than tcpdump"; status=1; fi
  printf '%-12s %10s %14s %14s %14s %14s  %s\n' "$rate" "$packets" "${tl_kept:-?}" "${tl_drop:-?}" "${td_kept:-?}" "${td_drop:-?}" "$verdict"
done
echo
echo "goals: 0 drops at 100 and 1000 Mbit/s; tlslab keeps at least as many packets as tcpdump at every rate"
exit $status
