#!/usr/bin/env bash
# Issue 19, hosted rate limits: `rfclient process` of N small images with --concurrency 16 against a token-bucket
# server (Benchmarks/token_bucket_server.py: 20 requests/s, bursts of 20, 200 ms per run, 429 + Retry-After: 1
# beyond), once with --fixed-concurrency (retries only) and once adaptive (the default). Prints a Markdown table:
# 429s, their share of requests, completion time against the ideal (N / 20 s), images done exactly once, exit code.
#
#   Benchmarks/rate-limit.sh                  # 400 and 1000 images, release rfclient built into .build-static
#   Benchmarks/rate-limit.sh 400              # some sizes
#   Benchmarks/rate-limit.sh --smoke          # 40 images, debug rfclient (about 10 s; no verdict)
#
# Environment: BENCH_WORK (scratch, default /tmp/inference-bench), BENCH_BIN (folder with rfclient; default: built
# here), RATE (20), CAPACITY (20), RUN_MS (200), CONCURRENCY (16).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SMOKE=0
SIZES=()
for arg in "$@"; do
  case "$arg" in
    --smoke) SMOKE=1 ;;
    ''|*[!0-9]*) echo "usage: $0 [--smoke] [N ...]" >&2; exit 2 ;;
    *) SIZES+=("$arg") ;;
  esac
done
if [ ${#SIZES[@]} -eq 0 ]; then
  if [ $SMOKE -eq 1 ]; then SIZES=(40); else SIZES=(400 1000); fi
fi
RATE="${RATE:-20}"; CAPACITY="${CAPACITY:-20}"; RUN_MS="${RUN_MS:-200}"; CONCURRENCY="${CONCURRENCY:-16}"
WORK="${BENCH_WORK:-/tmp/inference-bench}/rate-limit-$$"
mkdir -p "$WORK"
log() { echo "rate-limit [$(date +%T)]: $*" >&2; }

if [ -n "${BENCH_BIN:-}" ]; then
  BIN="$BENCH_BIN"
elif [ $SMOKE -eq 1 ]; then
  (cd "$ROOT" && swift build --product rfclient >&2)
  BIN="$(cd "$ROOT" && swift build --show-bin-path)"
else
  log "building rfclient (release) into .build-static"
  (cd "$ROOT" && swift build -c release --static-swift-stdlib --scratch-path .build-static --product rfclient >&2)
  BIN="$(cd "$ROOT" && swift build -c release --static-swift-stdlib --scratch-path .build-static --show-bin-path)"
fi
RFCLIENT="$BIN/rfclient"

python3 "$ROOT/Benchmarks/token_bucket_server.py" --rate "$RATE" --capacity "$CAPACITY" --run-ms "$RUN_MS" >"$WORK/server.out" 2>"$WORK/server.err" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 100); do [ -s "$WORK/server.out" ] && break; sleep 0.05; done
URL="$(head -1 "$WORK/server.out")"
[ -n "$URL" ] || { cat "$WORK/server.err" >&2; exit 1; }

# N distinct 32×32 grey PNGs (stdlib only: the pixel values encode the index).
images() {
  python3 - "$1" "$2" <<'PY'
import os, struct, sys, zlib
out, n = sys.argv[1], int(sys.argv[2])
os.makedirs(out, exist_ok=True)
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
for i in range(n):
    rows = b"".join(b"\x00" + bytes(((i >> (8 * (x % 3))) + x + y) & 255 for x in range(32)) for y in range(32))
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 32, 32, 8, 0, 0, 0, 0)) \
        + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
    with open(os.path.join(out, f"img-{i:05d}.png"), "wb") as f:
        f.write(png)
PY
}

field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1" <"$WORK/stats.json"; }

echo "| images | mode | 429s | share of requests | time (s) | ideal (s) | time / ideal | done once | exit |"
echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|"
for n in "${SIZES[@]}"; do
  images "$WORK/in-$n" "$n"
  for mode in fixed adaptive; do
    extra=()
    [ "$mode" = fixed ] && extra=(--fixed-concurrency)
    curl -fsS -X POST "$URL/reset" >/dev/null  # counters zeroed, the bucket full (a client idle for a while)
    out="$WORK/out-$n-$mode"
    rm -rf "$out"
    start=$(date +%s.%N)
    set +e
    "$RFCLIENT" process "$WORK/in-$n" -o "$out" --spec "$ROOT/Tests/Fixtures/workflows/blur.json" --api-url "$URL" \
      --concurrency "$CONCURRENCY" --aggregate none "${extra[@]}" 2>"$WORK/stderr-$n-$mode"
    code=$?
    set -e
    end=$(date +%s.%N)
    curl -fsS "$URL/stats" >"$WORK/stats.json"
    log "$n $mode: $(tail -1 "$WORK/stderr-$n-$mode")"
    requests=$(field requests); rejected=$(field rejected); once=$(field accepted_once)
    logged=$(python3 -c 'import json,sys; print(len({json.loads(l)["path"] for l in open(sys.argv[1]) if l.strip()}))' "$out/progress.jsonl" 2>/dev/null || echo 0)
    # Done once: the server ran each image exactly once and the progress log lists each once.
    done_once=$([ "$once" = "$n" ] && [ "$(field accepted_twice_or_more)" = 0 ] && [ "$logged" = "$n" ] && echo "$n / $n" || echo "$once / $n (logged $logged)")
    python3 - "$n" "$mode" "$rejected" "$requests" "$start" "$end" "$RATE" "$done_once" "$code" <<'PY'
import sys
n, mode, rejected, requests, start, end, rate, done_once, code = sys.argv[1:]
n, rejected, requests, elapsed = int(n), int(rejected), int(requests), float(end) - float(start)
ideal = n / float(rate)
print(f"| {n} | {mode} | {rejected} | {100 * rejected / max(1, requests):.1f} % | {elapsed:.1f} | {ideal:.0f} | {elapsed / ideal:.2f} | {done_once} | {code} |")
PY
  done
done
