# Sourced by the bench scripts: configures the `bench` preset in $build,
# builds the given targets and the bulk-capture maker, makes the large
# capture from real lab runs once, and sets $capture to its path.
#   bulk_capture ROOT BUILD MEGABYTES GUI(ON|OFF) TARGET...
bulk_capture() {
  local root=$1 build=$2 megabytes=$3 gui=$4
  shift 4
  cmake --preset bench -B "$build" -DTLSLAB_BUILD_GUI="$gui" >/dev/null
  cmake --build "$build" -j2 --target tlslab_make_bulk_capture "$@" >/dev/null
  capture="$build/bulk-${megabytes}mb.pcapng"
  if [[ ! -s "$capture" ]]; then
    echo "making $capture from real lab runs (once) ..."
    TLSLAB_HOME="$root" "$build/bench/tlslab_make_bulk_capture" "$capture" "$megabytes"
  fi
}
