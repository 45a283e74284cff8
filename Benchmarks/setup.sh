#!/usr/bin/env bash
# Installs the benchmark peers, idempotently: wrk, nginx (light), hyperfine from Debian; the Python SDK/CLI,
# OpenCV and numpy come from the inference server's cached venv (scripts/inference-server.sh install).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || missing+=(nginx-light)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  # Debian's package may start the system nginx on port 80: the benchmarks use their own instance only.
  if [ -f /run/nginx.pid ] && kill -0 "$(cat /run/nginx.pid)" 2>/dev/null; then
    $SUDO nginx -s stop 2>/dev/null || true
  fi
fi
bash "$HERE/../scripts/inference-server.sh" install >&2
