#!/usr/bin/env bash
# Builds the libFuzzer targets (Swift -sanitize=fuzzer,address) and runs each for a bounded time.
#
#   Fuzz/run.sh [seconds-per-target] [target ...]     default: 60 seconds, every target; 0 replays the corpora only
#
# Targets: FuzzJSON FuzzResponseDecoder FuzzServerError FuzzBase64 FuzzImageHeader FuzzImageDecode.
# Seeds come from Fuzz/Corpora/<target> (committed; regenerate with Fuzz/seeds.py); inputs the fuzzer finds
# go to Fuzz/.build/corpus/<target> (kept between runs, not committed); crashes to Fuzz/.build/artifacts/<target>/.
# Prints one summary line per target and exits 1 when any target crashed, 0 otherwise. When the toolchain has
# no libFuzzer runtime it prints why and exits 0 (so CI can call it unconditionally).
#   FUZZ_JOBS=N   run N targets at once (default 1)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

seconds="${1:-60}"
shift || true
all=(FuzzJSON FuzzResponseDecoder FuzzServerError FuzzBase64 FuzzImageHeader FuzzImageDecode)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")

swiftc_path="$(command -v swiftc || true)"
runtime=""
if [ -n "$swiftc_path" ]; then
  runtime=$(ls "$(dirname "$(readlink -f "$swiftc_path")")"/../lib/clang/*/lib/*/libclang_rt.fuzzer-*.a \
    "$(dirname "$(readlink -f "$swiftc_path")")"/../lib/clang/*/lib/*/libclang_rt.fuzzer.a 2>/dev/null | head -n 1 || true)
fi
if [ -z "$runtime" ]; then
  echo "fuzz: skipped: this toolchain has no libFuzzer runtime (libclang_rt.fuzzer)"
  exit 0
fi

# `--sanitize fuzzer` makes SwiftPM link a libFuzzer main; the sanitizers themselves come from one combined
# `-sanitize=fuzzer,address` (the swift driver keeps only the last `-sanitize=` it is given, and
# `--sanitize fuzzer --sanitize address` passes two in no fixed order: coverage or ASan, never both).
flags=(-c release --scratch-path .build --sanitize fuzzer -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library)
build() {
  mkdir -p .build
  if ! swift build "${flags[@]}" >.build/build-log.txt 2>&1; then
    cat .build/build-log.txt
    exit 2
  fi
}
echo "fuzz: building (release, -sanitize=fuzzer,address)"
build
bin="$(swift build "${flags[@]}" --show-bin-path)"
# Without coverage instrumentation libFuzzer runs blind ("no interesting inputs"), without ASan's it misses
# memory errors in unsafe-pointer code: check both in a library object, rebuild clean once if either is missing.
instrumented() {
  local object="$bin/InferenceSDK.build/Base64.swift.o"
  [ "$(nm "$object" 2>/dev/null | grep -c sancov)" -gt 0 ] && [ "$(nm "$object" 2>/dev/null | grep -c __asan_)" -gt 0 ]
}
if command -v nm >/dev/null && ! instrumented; then
  echo "fuzz: objects lack coverage or ASan instrumentation; rebuilding from scratch"
  rm -rf .build/*-linux-gnu .build/release .build/release.yaml
  build
  instrumented || { echo "fuzz: still not instrumented (see .build/build-log.txt)" >&2; exit 2; }
fi

dictionary() {
  case "$1" in
    FuzzJSON | FuzzResponseDecoder | FuzzServerError) echo Dictionaries/json.dict ;;
    FuzzBase64) echo Dictionaries/base64.dict ;;
    *) echo Dictionaries/image.dict ;;
  esac
}

status=0
run_one() {
  local target="$1" work=".build/corpus/$1" artifacts=".build/artifacts/$1/" log=".build/logs/$1.log"
  mkdir -p "$work" "$artifacts" .build/logs
  touch ".build/logs/$1.start"
  # 0 seconds: replay the seeds and the kept corpus once (a regression check), no fuzzing.
  local budget=(-max_total_time="$seconds")
  [ "$seconds" -gt 0 ] || budget=(-runs=0)
  # -rss_limit_mb: a decoder asked for more than this is reported (out-of-memory) instead of swapping.
  "$bin/$target" "$work" "Corpora/$target" "${budget[@]}" -timeout=10 -rss_limit_mb=3072 \
    -dict="$(dictionary "$target")" -artifact_prefix="$artifacts" -print_final_stats=1 >"$log" 2>&1 || true
  local runs crashes
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -n 1)
  # Only this run's findings (earlier ones stay in the folder until someone deletes them).
  crashes=$(find "$artifacts" -newer ".build/logs/$1.start" -type f -name '*-*' | grep -cE '/(crash|oom|timeout|leak|slow-unit)-' || true)
  local finding
  finding=$(grep -m 1 -E 'ERROR: (AddressSanitizer|libFuzzer)|Fatal error|==[0-9]+== ?ERROR' "$log" || true)
  printf 'fuzz: %-20s %5ss  %10s runs  corpus %5s files  new artifacts %s%s\n' "$target" "$seconds" "${runs:-?}" \
    "$(ls "$work" | wc -l)" "$crashes" "${finding:+  ($finding)}"
  [ -z "$finding" ]
}

jobs="${FUZZ_JOBS:-1}"
if [ "$jobs" -le 1 ]; then
  for target in "${targets[@]}"; do run_one "$target" || status=1; done
else
  pids=()
  for target in "${targets[@]}"; do
    run_one "$target" &
    pids+=($!)
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do sleep 1; done
  done
  for pid in "${pids[@]}"; do wait "$pid" || status=1; done
fi
[ "$status" -eq 0 ] || echo "fuzz: findings above; reproduce with: $bin/<target> Fuzz/.build/artifacts/<target>/<file>"
exit "$status"
