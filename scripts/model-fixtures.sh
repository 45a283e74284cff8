#!/usr/bin/env bash
# The project's model fixtures: small YOLOv8n-format ONNX models made on this machine (scripts/make_models.py; nothing
# is downloaded but PyPI packages at install) and laid out as an inference 1.8.3 offline model cache. Built once per
# recipe and reused: the cache folder is keyed by a hash of this script, make_models.py and the pinned versions.
#
#   scripts/model-fixtures.sh build         # build when missing; prints the model cache dir (MODEL_CACHE_DIR)
#   scripts/model-fixtures.sh dir           # prints that dir without building
#   scripts/model-fixtures.sh ids           # the model ids served, one a line: "ID TASK"
#   scripts/model-fixtures.sh images DIR    # writes the deterministic 640x480 test pictures (scene-1/2.jpg) to DIR
#
# Model ids (scripts/make_models.py, MODELS): yolov8n-640 (alias of coco/3) and sdk-detector/1 (object detection, the
# 80 COCO classes), sdk-seg/1 (instance segmentation), sdk-pose/1 (keypoints, COCO's 17), sdk-cls/1 (single-label
# classification), sdk-multilabel/1 (multi-label classification).
# Serve them with: INFERENCE_MODELS=1 scripts/inference-server.sh start DIR (OFFLINE_MODE=True MODEL_CACHE_DIR=<copy>).
#
# Environment: INFERENCE_FIXTURES_VENV (default $XDG_CACHE_HOME/inference-sdk-swift/fixtures-venv-ultralytics-VERSION):
# ultralytics installed --no-deps, seeing the server venv's torch/onnx through a .pth file (the server venv stays as
# pinned).
set -euo pipefail

ULTRALYTICS_VERSION=8.4.190
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/inference-sdk-swift"
FIXTURES_VENV="${INFERENCE_FIXTURES_VENV:-$CACHE_ROOT/fixtures-venv-ultralytics-$ULTRALYTICS_VERSION}"

log() { echo "model-fixtures: $*" >&2; }

recipe_hash() {
  { cat "$HERE/model-fixtures.sh" "$HERE/make_models.py"; echo "ultralytics=$ULTRALYTICS_VERSION"
    bash "$HERE/inference-server.sh" venv; } | sha256sum | cut -c1-16
}
models_dir() { echo "$CACHE_ROOT/models-$(recipe_hash)"; }

install_venv() {
  [ -f "$FIXTURES_VENV/.complete" ] && return 0
  local server_venv site
  bash "$HERE/inference-server.sh" install
  server_venv="$(bash "$HERE/inference-server.sh" venv)"
  log "installing ultralytics==$ULTRALYTICS_VERSION (--no-deps) into $FIXTURES_VENV"
  rm -rf "$FIXTURES_VENV"
  mkdir -p "$(dirname "$FIXTURES_VENV")"
  "$server_venv/bin/python" -m venv "$FIXTURES_VENV"
  site=$("$server_venv/bin/python" -c 'import site; print(site.getsitepackages()[0])')
  # The server venv's packages (torch, torchvision, onnx, numpy, opencv, PIL, inference) after this venv's own.
  echo "$site" >"$("$FIXTURES_VENV/bin/python" -c 'import site; print(site.getsitepackages()[0])')/inference-server-venv.pth"
  "$FIXTURES_VENV/bin/pip" install --quiet --disable-pip-version-check --no-deps "ultralytics==$ULTRALYTICS_VERSION" >&2
  touch "$FIXTURES_VENV/.complete"
}

build() {
  local dir; dir="$(models_dir)"
  if [ -f "$dir/.complete" ]; then
    log "reusing $dir"; touch "$dir/.complete"; echo "$dir"; return 0
  fi
  mkdir -p "$CACHE_ROOT"
  # One build at a time on this machine (parallel test runs of several work trees share the cache).
  exec 9>"$CACHE_ROOT/models.lock"
  flock 9
  if [ -f "$dir/.complete" ]; then
    log "reusing $dir (built meanwhile)"; echo "$dir"; return 0
  fi
  install_venv
  local started=$SECONDS tmp="$dir.tmp.$$"
  rm -rf "$tmp"
  log "building the model fixtures into $dir"
  if ! YOLO_OFFLINE=True "$FIXTURES_VENV/bin/python" "$HERE/make_models.py" --out "$tmp" >&2; then
    rm -rf "$tmp"; log "the build failed"; return 1
  fi
  rm -rf "$dir"
  mv "$tmp" "$dir"
  touch "$dir/.complete"
  log "built in $((SECONDS - started)) s"
  # Builds of other recipes unused for a week go (each use touches .complete), and leftovers of stopped builds.
  local other
  for other in "$CACHE_ROOT"/models-*; do
    [ -d "$other" ] && [ "$other" != "$dir" ] || continue
    [ -n "$(find "$other/.complete" -newermt '7 days ago' 2>/dev/null)" ] || rm -rf "$other"
  done
  echo "$dir"
}

case "${1:-}" in
  build) build ;;
  dir) models_dir ;;
  ids) python3 -c 'import json, sys; [print(m["model_id"], m["task"]) for m in json.load(open(sys.argv[1]))["models"]]' "$(build)/manifest.json" ;;
  images)
    [ -n "${2:-}" ] || { echo "usage: $0 images DIR" >&2; exit 2; }
    install_venv
    "$FIXTURES_VENV/bin/python" "$HERE/make_models.py" --images-only "$2" ;;
  *) echo "usage: $0 build|dir|ids|images DIR" >&2; exit 2 ;;
esac
