#!/usr/bin/env bash
# Installs what the project needs on a fresh Debian machine: the codec libraries, the real inference
# server (cached venv outside the repository, reused when present) and the model fixtures it serves
# (scripts/model-fixtures.sh: built here once per recipe, cached beside the venv).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
packages=(libturbojpeg0-dev libpng-dev curl pkg-config)
packages+=(nginx-light)  # ReliabilityTests.FleetTests: two real servers behind nginx; NetworkTests: TLS in front of one
packages+=(tinyproxy-bin openssl)  # NetworkTests: a real forward proxy; the test CA and certificates (scripts/network-fixtures.sh)
# Video on the client (InferenceSDKVideo, rfclient process-video): FFmpeg 5.1's libraries; the ffmpeg CLI makes test clips.
packages+=(libavformat-dev libavcodec-dev libswscale-dev libavutil-dev libavdevice-dev ffmpeg)
packages+=(libjpeg62-turbo-dev)  # the video path's JPEG encoder (libjpeg-turbo's raw-data interface, CVideoKernels)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> apt-get install ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
bash scripts/inference-server.sh install
bash scripts/model-fixtures.sh build >/dev/null
