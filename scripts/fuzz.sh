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

# ASan records the stack of every allocation, for "allocated by" in a report:
# a fifth of a parser target's time. Campaigns skip it; replay a reproducer
# with ASAN_OPTIONS unset (or set your own) to get those stacks back.
export ASAN_OPTIONS=${ASAN_OPTIONS:-malloc_context_size=0}

# A hang is a finding too (-timeout, seconds per input), as is a report from
# any sanitizer: the fuzz preset builds with -fno-sanitize-recover=all.
status=0
summary=()
mkdir -p "$build/logs"
for n in "${names[@]}"; do
  exe=$(find "$build" -name "tlslab_fuzz_$n" -type f -perm -u+x | head -1)
  corpus="$build/corpus/$n"
  artifacts="$build/artifacts/$n"
  log="$build/logs/$n.log"
  mkdir -p "$corpus" "$artifacts"
  seeds=()
  if [[ -d "$root/fuzz/corpus/$n" ]]; then seeds=("$root/fuzz/corpus/$n"); fi
  echo "== fuzzing $n for ${seconds}s (corpus $corpus, log $log)"
  # The first corpus dir is written to; the seed dir is only read.
  set +e
  # shellcheck disable=SC2086
  "$exe" -max_total_time="$seconds" -timeout=20 -print_final_stats=1 -artifact_prefix="$artifacts/" \
    ${TLSLAB_FUZZ_ARGS:-} "$corpus" "${seeds[@]}" >"$log" 2>&1
  rc=$?
  set -e
  grep -E "^#[0-9]+[[:space:]]+(INITED|DONE)|ERROR|SUMMARY|Test unit written" "$log" || true
  if [[ $rc -ne 0 ]]; then
    echo "!! $n: the fuzzer found a problem (exit $rc); reproducer in $artifacts/, log $log"
    status=1
  fi
  execs=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -1)
  cov=$(grep -oE "cov: [0-9]+ ft: [0-9]+ corp: [0-9]+" "$log" | tail -1)
  summary+=("$(printf '%-18s %6ss %10s execs/s %12s runs  %-36s peak %s MB' "$n" "$seconds" "${execs:-?}" "${runs:-?}" "${cov:-?}" "${rss:-?}")")
done
echo "== summary"
printf '%s\n' "${summary[@]}"
exit $status
