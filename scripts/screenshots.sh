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
shot tls12-record-crypto --lab handshake --tls 1.2 --tab "Record crypto"
shot tamper-flip-byte --lab tamper --attack flip-byte --tab "Application data"
