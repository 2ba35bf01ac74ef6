#!/usr/bin/env bash
# Installs the Debian 12 packages tlslab needs to build, test and run.
# Idempotent: prints nothing and touches nothing when everything is present.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkgconf git
  libssl-dev openssl libpcap-dev zlib1g-dev
  libnghttp2-dev libbrotli-dev  # core/app: HTTP/2 HPACK (nghttp2's inflater), brotli bodies
  nginx-light                   # tests: a real HTTP/2 and HTTP/1.1 server (nginx) for captures made in the test
  ngtcp2-client ngtcp2-server   # tests: a real, independent QUIC stack (gtlsclient, gtlsserver) for QUIC captures
  qt6-base-dev libgl-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libcli11-dev nlohmann-json3-dev libfmt-dev
  clang libclang-rt-14-dev
  tshark gnutls-bin xvfb xauth fonts-dejavu-core
  iproute2  # `ip`: the MITM lab's --netns network namespaces
  jq xxd    # the capture labs' tutorials (9, 11, forensics): fields out of `tlslab dissect --json`, hex to bytes
  # lab 3's real clients (`tlslab lab run real-clients`); chromium is ~125 MB to download
  curl wget python3 chromium libnss3-tools
  stunnel4  # lab 14: a second, independent TLS wrapper beside `tlslab wrap`
  tcpreplay tcpdump ethtool  # scripts/bench-capture-drops.sh: bursts replayed against tlslab and tcpdump
)

missing=()
for pkg in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "installed" ]] || missing+=("$pkg")
done
((${#missing[@]} == 0)) && exit 0

as_root=()
if [[ $EUID -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "setup-deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  as_root=(sudo)
fi

echo "setup-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup-deps: done"
