#!/usr/bin/env bash
# Runs a libFuzzer target for N seconds: configures + builds the `fuzz`
# preset (clang, ASan+UBSan, libFuzzer), then fuzzes with a working corpus
# under the build folder, seeded (read-only) from fuzz/corpus/<name>/.
#
#   scripts/fuzz.sh wire            # fuzz/wire_fuzzer.cpp for 60 s
#   scripts/fuzz.sh keylog 300      # any fuzz/<name>_fuzzer.cpp, 300 s
#   scripts/fuzz.sh all 30          # every target, 30 s each
#   scripts/fuzz.sh --list          # the available targets
# Environment: TLSLAB_FUZZ_BUILD (build folder, default build/fuzz),
#              TLSLAB_FUZZ_ARGS   (extra libFuzzer flags, e.g. -jobs=2).
# Crash reproducers land in build/fuzz/artifacts/<name>/; replay one with
#   build/fuzz/fuzz/tlslab_fuzz_<name> <file>
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${TLSLAB_FUZZ_BUILD:-$root/build/fuzz}
mapfile -t all < <(cd "$root/fuzz" && ls ./*_fuzzer.cpp | sed 's|^\./||; s|_fuzzer\.cpp$||')

usage() { echo "usage: $0 <name>|all [seconds]   (targets: ${all[*]})"; }
if [[ $# -lt 1 ]]; then usage; exit 2; fi
if [[ "$1" == "--list" ]]; then printf '%s\n' "${all[@]}"; exit 0; fi
seconds=${2:-60}
if ! [[ "$seconds" =~ ^[0-9]+$ ]]; then echo "seconds must be a number: $seconds"; exit 2; fi
if [[ "$1" == "all" ]]; then names=("${all[@]}"); else names=("$1"); fi
for n in "${names[@]}"; do
  if [[ ! -f "$root/fuzz/${n}_fuzzer.cpp" ]]; then echo "no fuzz/${n}_fuzzer.cpp"; usage; exit 2; fi
done

cmake --preset fuzz -B "$build" >/dev/null
targets=()
for n in "${names[@]}"; do targets+=("tlslab_fuzz_$n"); done
cmake --build "$build" -j2 --target "${targets[@]}"

status=0
for n in "${names[@]}"; do
  exe=$(find "$build" -name "tlslab_fuzz_$n" -type f -perm -u+x | head -1)
  corpus="$build/corpus/$n"
  artifacts="$build/artifacts/$n"
  mkdir -p "$corpus" "$artifacts"
  seeds=()
  if [[ -d "$root/fuzz/corpus/$n" ]]; then seeds=("$root/fuzz/corpus/$n"); fi
  echo "== fuzzing $n for ${seconds}s (corpus $corpus)"
  # The first corpus dir is written to; the seed dir is only read.
  # shellcheck disable=SC2086
  if ! "$exe" -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$artifacts/" \
       ${TLSLAB_FUZZ_ARGS:-} "$corpus" "${seeds[@]}"; then
    echo "!! $n: the fuzzer found a problem; reproducer in $artifacts/"
    status=1
  fi
done
exit $status
