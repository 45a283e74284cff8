"""Deterministic benchmark inputs (run with the inference venv's Python: numpy + opencv).

  bench_data.py image OUT.jpg [SEED] [WxH]  one JPEG, default 1920x1080 (~770 KB; quality 90, gradient + hashed noise)
  bench_data.py images DIR N              N distinct 1080p JPEGs (seeds 0..N-1)
  bench_data.py small DIR N               N distinct 64x48 JPEGs (small files for the P5 memory run)
  bench_data.py scenes DIR N SCENE...     N distinct 640x480 JPEGs made from the SCENE photos (M1: objects for a detector)
  bench_data.py body IMAGE SPEC OUT       the JSON request body the SDKs send (for wrk/curl)
  bench_data.py bodies DIR SPEC OUTDIR    one body per image of DIR, and OUTDIR/list naming them (for wrk)
"""
import base64
import json
import os
import sys

import cv2
import numpy as np


def pixels(width=1920, height=1080, seed=0, amplitude=22):
    """RGB uint8 pixels; with seed 0 identical to syntheticPixels() in InferenceBench/main.swift."""
    y, x = np.mgrid[0:height, 0:width].astype(np.uint32)
    out = np.empty((height, width, 3), np.uint8)
    for c in range(3):
        h = (x * np.uint32(73856093)) ^ (y * np.uint32(19349663)) ^ np.uint32(((c + 1) * 83492791 + seed * 2654435761) & 0xFFFFFFFF)
        h = h * np.uint32(2246822519)
        h ^= h >> np.uint32(15)
        noise = (h >> np.uint32(24)).astype(np.int64) * amplitude // 256
        base = (x >> 3).astype(np.int64) + (y >> 2) + 60 * c + seed * 7 + ((x // 40 + y // 40) % 2) * 50
        out[:, :, c] = ((base + noise) & 255).astype(np.uint8)
    return out


def write_jpeg(path, rgb, quality=90):
    ok, buf = cv2.imencode(".jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    with open(path, "wb") as f:
        f.write(buf.tobytes())


def scene(sources, i):
    """640x480 RGB pixels, distinct per i and deterministic: photo i % len(sources), mirrored on odd rounds, zoomed
    (1.0-1.35x) around a point that moves with i, brightness and contrast varied, plus a few filled shapes, so a
    detector sees real structure in each (not noise)."""
    rng = np.random.default_rng(1000 + i)
    src = sources[i % len(sources)]
    if (i // len(sources)) % 2:
        src = src[:, ::-1]
    h, w = src.shape[:2]
    zoom = 1.0 + 0.35 * rng.random()
    cw, ch = int(w / zoom), int(h / zoom)
    x0, y0 = int(rng.integers(0, w - cw + 1)), int(rng.integers(0, h - ch + 1))
    img = cv2.resize(np.ascontiguousarray(src[y0:y0 + ch, x0:x0 + cw]), (640, 480), interpolation=cv2.INTER_AREA)
    img = np.clip(img.astype(np.float32) * (0.8 + 0.4 * rng.random()) + rng.uniform(-25, 25), 0, 255).astype(np.uint8)
    for _ in range(int(rng.integers(1, 5))):
        color = tuple(int(c) for c in rng.integers(0, 256, 3))
        cx, cy = int(rng.integers(40, 600)), int(rng.integers(40, 440))
        r = int(rng.integers(12, 60))
        if rng.random() < 0.5:
            cv2.circle(img, (cx, cy), r, color, -1)
        else:
            cv2.rectangle(img, (cx - r, cy - r // 2), (cx + r, cy + r // 2), color, -1)
    return img


def write_body(image_path, spec_path, out_path):
    with open(image_path, "rb") as f:
        image = base64.b64encode(f.read()).decode("ascii")
    with open(spec_path) as f:
        spec = json.load(f)
    body = {"use_cache": True, "enable_profiling": False, "inputs": {"image": {"type": "base64", "value": image}},
            "specification": spec}
    with open(out_path, "w") as f:
        json.dump(body, f, separators=(",", ":"))


def main(argv):
    mode = argv[1]
    if mode == "image":
        width, height = (int(v) for v in (argv[4] if len(argv) > 4 else "1920x1080").split("x"))
        write_jpeg(argv[2], pixels(width, height, seed=int(argv[3]) if len(argv) > 3 else 0))
    elif mode == "images":
        os.makedirs(argv[2], exist_ok=True)
        for i in range(int(argv[3])):
            write_jpeg(os.path.join(argv[2], f"img{i:05d}.jpg"), pixels(seed=i))
    elif mode == "small":
        os.makedirs(argv[2], exist_ok=True)
        base = pixels(64, 48)
        for i in range(int(argv[3])):
            img = base.copy()
            img[0, 0, 0], img[0, 0, 1], img[0, 0, 2] = i & 255, (i >> 8) & 255, (i >> 16) & 255
            write_jpeg(os.path.join(argv[2], f"s{i:05d}.jpg"), img)
    elif mode == "scenes":
        os.makedirs(argv[2], exist_ok=True)
        sources = []
        for path in argv[4:]:
            bgr = cv2.imread(path, cv2.IMREAD_COLOR)
            assert bgr is not None, path
            sources.append(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
        for i in range(int(argv[3])):
            write_jpeg(os.path.join(argv[2], f"scene{i:05d}.jpg"), scene(sources, i))
    elif mode == "body":
        write_body(argv[2], argv[3], argv[4])
    elif mode == "bodies":
        os.makedirs(argv[4], exist_ok=True)
        names = sorted(n for n in os.listdir(argv[2]) if n.endswith(".jpg"))
        paths = [os.path.join(argv[4], n + ".json") for n in names]
        for name, path in zip(names, paths):
            write_body(os.path.join(argv[2], name), argv[3], path)
        with open(os.path.join(argv[4], "list.tmp"), "w") as f:
            f.write("\n".join(paths) + "\n")
        os.replace(os.path.join(argv[4], "list.tmp"), os.path.join(argv[4], "list"))
    else:
        sys.exit(f"unknown mode {mode}")


if __name__ == "__main__":
    main(sys.argv)
