#!/usr/bin/env bash
# Builds the `bench` preset, runs every bench/<name>_bench.cpp program
# (tlslab_bench_<name>) and prints, for each benchmark pair named
# ".../<case>/tlslab" and ".../<case>/raw_evp", tlslab's throughput as a
# percentage of raw OpenSSL EVP measured in the same run (goal: >= 80 %), and
# for each pair ".../<case>/instrumented" and ".../<case>/plain", the
# instrumented endpoints' handshakes per second as a percentage of bare
# OpenSSL (goal: >= 85 %).
#
#   scripts/bench.sh               configure + build + run
#   scripts/bench.sh --no-build    run what is already built
# Environment: TLSLAB_BENCH_BUILD (build folder, default build/bench),
#              TLSLAB_BENCH_ARGS  (extra Google Benchmark flags).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${TLSLAB_BENCH_BUILD:-$root/build/bench}
mapfile -t names < <(cd "$root/bench" && ls ./*_bench.cpp | sed 's|^\./||; s|_bench\.cpp$||')
if [[ ${#names[@]} -eq 0 ]]; then echo "no bench/*_bench.cpp programs"; exit 1; fi

if [[ "${1:-}" != "--no-build" ]]; then
  cmake --preset bench -B "$build" -DTLSLAB_BUILD_GUI=OFF >/dev/null
  targets=()
  for n in "${names[@]}"; do targets+=("tlslab_bench_$n"); done
  cmake --build "$build" -j2 --target "${targets[@]}"
fi

status=0
for n in "${names[@]}"; do
  exe=$(find "$build" -name "tlslab_bench_$n" -type f -perm -u+x | head -1)
  if [[ -z "$exe" ]]; then echo "missing tlslab_bench_$n (build it first)"; status=1; continue; fi
  json=$(mktemp)
  echo "== $n"
  # shellcheck disable=SC2086
  "$exe" --benchmark_out="$json" --benchmark_out_format=json ${TLSLAB_BENCH_ARGS:-}
  python3 - "$json" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
rates = {}
for b in data.get("benchmarks", []):
    # With --benchmark_repetitions, use the mean; run_name has no aggregate suffix.
    if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "mean":
        continue
    parts = b.get("run_name", b["name"]).split("/")
    if len(parts) >= 2 and parts[-1] in ("tlslab", "raw_evp") and "bytes_per_second" in b:
        rates.setdefault(parts[-2], {})[parts[-1]] = b["bytes_per_second"]
    if len(parts) >= 2 and parts[-1] in ("instrumented", "plain") and "items_per_second" in b:
        rates.setdefault(parts[-2], {})[parts[-1]] = b["items_per_second"]
    if "completed" in b:
        print(f"  {b['name']:28s} completed {b['completed']:.0f}   failed {b.get('failed', 0):.0f}")
for case, r in rates.items():
    if "instrumented" in r and "plain" in r:
        ratio = 100.0 * r["instrumented"] / r["plain"]
        verdict = "ok" if ratio >= 85.0 else "BELOW GOAL"
        print(f"  {case:28s} instrumented {r['instrumented']:8.1f}/s   plain OpenSSL {r['plain']:8.1f}/s   {ratio:5.1f} %  {verdict}")
    if "tlslab" in r and "raw_evp" in r:
        ratio = 100.0 * r["tlslab"] / r["raw_evp"]
        verdict = "ok" if ratio >= 80.0 else "BELOW GOAL"
        print(f"  {case:28s} tlslab {r['tlslab']/1e6:9.1f} MB/s   raw EVP {r['raw_evp']/1e6:9.1f} MB/s   {ratio:5.1f} %  {verdict}")
PY
  rm -f "$json"
done
exit $status
