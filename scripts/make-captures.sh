#!/usr/bin/env bash
# Recreates the sample captures in captures/ from real lab runs on loopback:
# `tlslab serve` answers, `tlslab connect --pcapng` records the client's wire
# bytes as Ethernet/IP/TCP packets with the run's key log embedded (pcapng
# Decryption Secrets Block), so every file opens decrypted in tlslab,
# Wireshark and tshark with no options. Keys and randoms differ on every run.
#
#   scripts/make-captures.sh [TLSLAB_BINARY]     default build/dev/tlslab
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tlslab=${1:-$root/build/dev/tlslab}
out=$root/captures
export TLSLAB_HOME=$root
[[ -x $tlslab ]] || { echo "no tlslab binary at $tlslab (build it, or pass its path)"; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# run_one FILE "SERVE OPTIONS" HOST CONNECT-OPTIONS...: one connection, one file.
run_one() {
  local name=$1 serve=$2 target=$3; shift 3
  local port log
  port=$(free_port)
  log=$(mktemp)
  # shellcheck disable=SC2086
  "$tlslab" serve --port "$port" --connections 1 --seconds 20 $serve >"$log" 2>&1 &
  local server=$!
  for _ in $(seq 50); do grep -q serving "$log" && break; sleep 0.1; done
  "$tlslab" connect "$target:$port" "$@" --pcapng "$out/$name" >/dev/null
  wait "$server" || true
  rm -f "$log"
  echo "wrote captures/$name ($(stat -c %s "$out/$name") bytes)"
}

run_one tls13-https-hello.pcapng "--tls 1.3" bank32.com --tls 1.3 \
  --send 'GET / HTTP/1.1\r\nHost: bank32.com\r\n\r\n' --expect '</html>'
run_one tls12-ecdhe.pcapng "--tls 1.2 --ciphers ECDHE-RSA-AES128-GCM-SHA256" bank32.com --tls 1.2 \
  --send 'GET / HTTP/1.1\r\nHost: bank32.com\r\n\r\n' --expect '</html>'
run_one tls12-rsa.pcapng "--tls 1.2 --ciphers AES256-GCM-SHA384" bank32.com --tls 1.2 \
  --send 'GET / HTTP/1.1\r\nHost: bank32.com\r\n\r\n' --expect '</html>'
run_one starttls-smtp.pcapng "--service smtp --cert mail-bank32" mail.bank32.com --starttls smtp \
  --send 'EHLO client.lab\r\n' --expect '250 AUTH' \
  --send 'AUTH PLAIN AHN0dWRlbnQwMQBzZWNyZXQ=\r\n' --expect '235 ' \
  --send 'QUIT\r\n' --expect '221 '
