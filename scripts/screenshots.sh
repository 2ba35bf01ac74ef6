#!/bin/sh
# Renders tlslab-gui under Xvfb to PNGs, for the README and docs:
#   scripts/screenshots.sh [BUILD_DIR] [OUT_DIR]
# (defaults: build/release, docs/screenshots). Each run is a real lab on
# loopback; nothing leaves the machine.
set -eu
build=${1:-build/release}
out=${2:-docs/screenshots}
gui="$build/tlslab-gui"
[ -x "$gui" ] || { echo "no $gui: build first (cmake --workflow --preset release)" >&2; exit 1; }
command -v xvfb-run >/dev/null || { echo "xvfb-run is needed (apt-get install xvfb)" >&2; exit 1; }
mkdir -p "$out"
shot() {  # shot NAME ARGS...
  name=$1; shift
  env -u QT_QPA_PLATFORM xvfb-run -a -s '-screen 0 1600x1000x24' "$gui" "$@" --screenshot "$out/$name.png"
  echo "$out/$name.png"
}
shot mitm --lab mitm
shot mitm-correct-victim --lab mitm --victim correct --tab Certificates
shot tls13-handshake --lab handshake --tls 1.3 --tab Message
shot tls13-key-derivation --lab handshake --tls 1.3 --tab "Key derivation"
# The key schedule picture with one node selected: its inputs and records marked on the ladder.
shot key-schedule --lab handshake --tls 1.3 --tab "Key derivation" --key-step server_handshake_traffic_secret
shot tls12-record-crypto --lab handshake --tls 1.2 --tab "Record crypto"
shot tamper-flip-byte --lab tamper --attack flip-byte --tab "Application data"

# The Course panel on lab 1 beside the ladder of the student's own TLS capture:
# a workspace made for alice in a scratch folder, which is also the panel's
# workspace root (a scratch XDG_CONFIG_HOME keeps the user's settings out).
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
tlslab_bin=$(cd "$build" && pwd)/tlslab
gui_abs=$(cd "$build" && pwd)/tlslab-gui
out_abs=$(cd "$out" && pwd)
(cd "$scratch" && "$tlslab_bin" lab start 1 --student alice >/dev/null)
(cd "$scratch" && env -u QT_QPA_PLATFORM XDG_CONFIG_HOME="$scratch/config" xvfb-run -a -s '-screen 0 1600x1000x24' \
  "$gui_abs" --course 1 tlslab-lab-1/tls-login.pcapng --screenshot "$out_abs/course-lab1.png")
echo "$out/course-lab1.png"
