#!/usr/bin/env bash
# Starts a local inference server and runs an example workflow end to end, with the Swift library
# (Examples/QuickStart) and with rfclient. Stops the server when done.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="/opt/swift/usr/bin:$PATH"
bash scripts/bootstrap.sh
state="${TMPDIR:-/tmp}/inference-sdk-demo-$$"
trap 'bash scripts/inference-server.sh stop "$state" >/dev/null 2>&1 || true; rm -rf "$state"' EXIT
url=$(bash scripts/inference-server.sh start "$state")
swift build --product QuickStart >&2 && swift build --product rfclient >&2
echo "==> swift run QuickStart $url"
.build/debug/QuickStart "$url"
echo "==> rfclient run (template matching), first prediction"
.build/debug/rfclient run --api-url "$url" --spec Tests/Fixtures/workflows/template-matching-crops.json \
  --image image=Tests/Fixtures/workflows/template_scene.png --image template=Tests/Fixtures/workflows/template.png \
  --save-images "$state/images" --format pretty | head -n 20
