#!/usr/bin/env bash
# Peak RSS of one run whose image input is a batch of N 1080p files, split by maxBatchSize (issue 11, point 3):
# flat in N when images are resolved chunk by chunk. Against the nginx stub (Benchmarks/stub.sh), so the
# figure is the client's alone.
#
#   Benchmarks/batch-memory.sh [N ...]      # default: 400 4000; BENCH_BIN: folder with InferenceBench
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${BENCH_WORK:-/tmp/inference-bench}/batch-memory"
mkdir -p "$WORK"
counts=("$@"); [ ${#counts[@]} -gt 0 ] || counts=(400 4000)
BIN="${BENCH_BIN:-}"
if [ -z "$BIN" ]; then
  (cd "$ROOT" && swift build -c release --product InferenceBench >/dev/null)
  BIN="$(cd "$ROOT" && swift build -c release --show-bin-path)"
fi
PY="$(bash "$ROOT/scripts/inference-server.sh" venv)/bin/python"
# One natural-looking 1080p JPEG (noise over gradients), hard-linked N times: N distinct paths, each read.
if [ ! -f "$WORK/frame.jpg" ]; then
  "$PY" - "$WORK/frame.jpg" <<'PY'
import sys, cv2, numpy as np
rng = np.random.default_rng(7)
y, x = np.mgrid[0:1080, 0:1920]
img = np.stack([(x * 255 // 1919), (y * 255 // 1079), ((x + y) * 255 // 2998)], axis=-1).astype(np.int16)
img += rng.integers(-40, 40, img.shape, dtype=np.int16)
cv2.imwrite(sys.argv[1], np.clip(img, 0, 255).astype(np.uint8), [cv2.IMWRITE_JPEG_QUALITY, 90])
PY
fi
STATE="$WORK/stub"
URL=$(bash "$ROOT/Benchmarks/stub.sh" start "$STATE")
trap 'bash "$ROOT/Benchmarks/stub.sh" stop "$STATE" >/dev/null 2>&1 || true' EXIT
size=$(stat -c %s "$WORK/frame.jpg")
echo "| images (1080p, $((size / 1024)) KB each) | maxBatchSize | in flight | requests | wall s | peak RSS MB | images held whole would be |"
echo "|---|---|---|---|---|---|---|"
for n in "${counts[@]}"; do
  dir="$WORK/images-$n"
  if [ ! -d "$dir" ] || [ "$(ls "$dir" | wc -l)" -ne "$n" ]; then
    rm -rf "$dir"; mkdir -p "$dir"
    for i in $(seq -w 1 "$n"); do ln "$WORK/frame.jpg" "$dir/img-$i.jpg"; done
  fi
  out=$("$BIN/InferenceBench" batch --url "$URL" --spec "$ROOT/Tests/Fixtures/workflows/blur.json" --dir "$dir" --max-batch-size 8 --concurrency 4)
  "$PY" - "$out" "$n" "$size" <<'PY'
import json, sys
r = json.loads(sys.argv[1]); n = int(sys.argv[2]); size = int(sys.argv[3])
print(f"| {n} | {r['max_batch_size']} | {r['concurrency']} | {r['requests']} | {r['wall_s']:.2f} | {r['peak_rss_mb']:.1f} | ≥ {n * size / 2**20:.0f} MB of file bytes |")
PY
done
