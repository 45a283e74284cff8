"""Test clips for the V1 benchmark (numpy + OpenCV from the server's venv, Debian's ffmpeg CLI for H.264).

  video_data.py clip OUT.mp4 FRAMES WIDTHxHEIGHT   natural-looking H.264 clip: a textured background (noise at
                                                   several scales) with shapes moving across it, 30 fps
  video_data.py body CLIP INDEX SPEC OUT.json      a workflow request body with frame INDEX of CLIP as JPEG q95
                                                   (what the server alone is measured with, by wrk)
  video_data.py jpegsize CLIP                      median JPEG q95 size of the clip's frames, KB
"""
import base64
import json
import subprocess
import sys

import cv2
import numpy as np


def texture(h, w, rng):
    base = np.zeros((h, w, 3), np.float32)
    for scale, weight in ((4, 0.8), (16, 1.0), (64, 1.2)):
        small = rng.normal(0, 1, (max(2, h // scale), max(2, w // scale), 3)).astype(np.float32)
        base += weight * cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)
    fine = rng.normal(0, 1, (h, w, 3)).astype(np.float32)
    base += 1.2 * cv2.GaussianBlur(fine, (0, 0), 0.55)
    base = (base - base.min()) / (base.max() - base.min())
    return (40 + 175 * base).astype(np.uint8)


def clip(out, frames, size):
    w, h = (int(v) for v in size.split("x"))
    rng = np.random.default_rng(7)
    background = texture(h, w, rng)
    shapes = [(rng.uniform(0, w), rng.uniform(0, h), rng.uniform(-6, 6), rng.uniform(-4, 4), int(rng.uniform(h / 20, h / 6)),
               tuple(int(c) for c in rng.integers(0, 255, 3))) for _ in range(8)]
    ffmpeg = subprocess.Popen(
        ["ffmpeg", "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "bgr24", "-s", f"{w}x{h}", "-r", "30", "-i", "-",
         "-c:v", "libx264", "-preset", "medium", "-crf", "10", "-pix_fmt", "yuv420p", "-g", "30", out],
        stdin=subprocess.PIPE)
    for i in range(frames):
        frame = np.roll(background, (i * 2) % w, axis=1).copy()
        for x, y, dx, dy, r, color in shapes:
            cx, cy = int((x + dx * i) % w), int((y + dy * i) % h)
            cv2.circle(frame, (cx, cy), r, color, -1, cv2.LINE_AA)
            cv2.rectangle(frame, (cx - r // 2, cy - r // 3), (cx + r // 3, cy + r // 2), tuple(255 - c for c in color), 2)
        ffmpeg.stdin.write(frame.tobytes())
    ffmpeg.stdin.close()
    if ffmpeg.wait() != 0:
        sys.exit("ffmpeg failed")


def frame_at(path, index):
    capture = cv2.VideoCapture(path)
    capture.set(cv2.CAP_PROP_POS_FRAMES, index)
    ok, frame = capture.read()
    if not ok:
        sys.exit(f"cannot read frame {index} of {path}")
    return frame


def body(path, index, spec, out):
    ok, jpeg = cv2.imencode(".jpg", frame_at(path, int(index)), [cv2.IMWRITE_JPEG_QUALITY, 95])
    document = {"inputs": {"image": {"type": "base64", "value": base64.b64encode(jpeg.tobytes()).decode()}},
                "specification": json.load(open(spec))}
    json.dump(document, open(out, "w"))


def jpegsize(path):
    capture = cv2.VideoCapture(path)
    sizes = []
    while True:
        ok, frame = capture.read()
        if not ok:
            break
        sizes.append(len(cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, 95])[1]))
    print(f"{np.median(sizes) / 1024:.0f}")


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "clip":
        clip(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    elif command == "body":
        body(*sys.argv[2:6])
    elif command == "jpegsize":
        jpegsize(sys.argv[2])
    else:
        sys.exit(__doc__)
