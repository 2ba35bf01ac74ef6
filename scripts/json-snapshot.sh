#!/usr/bin/env bash
# Writes `tlslab dissect --json` of every sample capture (captures/) and, when
# the conformance corpus is there, of every Wireshark case with its keys, one
# file per capture, so a reshaping of the core can be checked byte for byte:
#
#   scripts/json-snapshot.sh OUT_DIR [TLSLAB]      then: diff -r BEFORE AFTER
#
# TLSLAB defaults to build/dev/tlslab. The PSK cases get --psk (cases.tsv's
# psk_hex); SNAPSHOT_PSK=0 leaves it out, for a binary older than --psk.
# The exit status of each run is kept in the file too (a refusal must stay a refusal).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:?usage: json-snapshot.sh OUT_DIR [TLSLAB]}
tlslab=${2:-$root/build/dev/tlslab}
corpus=${TLSLAB_CONFORMANCE:-$root/../shared/conformance}/wireshark
[[ -d $corpus ]] || corpus=/work/shared/conformance/wireshark  # from a worktree
mkdir -p "$out"
out=$(cd "$out" && pwd)
tlslab=$(realpath "$tlslab")
# Relative paths, so the JSON's "source" is the same from any checkout.
cd "$root"

snapshot() {  # name, then the arguments of dissect
  local name=$1; shift
  "$tlslab" dissect "$@" --json >"$out/$name.json" 2>"$out/$name.stderr"
  echo "exit $?" >>"$out/$name.stderr"
}

for f in captures/*.pcapng; do
  snapshot "sample-$(basename "$f" .pcapng)" "$f"
done

[[ -f $corpus/cases.tsv ]] || exit 0
cd "$corpus"
tail -n +2 "$corpus/cases.tsv" | while IFS=$'\t' read -r capture keylog rsa_key _ _ _ _ case_id psk password _; do
  args=("$capture")
  [[ $keylog != - ]] && args+=(--keylog "$keylog")
  [[ $rsa_key != - ]] && args+=(--rsa-key "$rsa_key")
  [[ $password != - ]] && args+=(--key-password "$password")
  [[ $psk != - && ${SNAPSHOT_PSK:-1} == 1 ]] && args+=(--psk "$psk")
  snapshot "wireshark-$case_id" "${args[@]}" </dev/null
done
