"""The Python peers (run with the inference venv's Python).

  python_peer.py sdk --url URL --spec FILE (--image FILE | --dir DIR) [--requests N] [--threads T]
      inference_sdk InferenceHTTPClient.run_workflow, N requests, T threads sharing one client.
  python_peer.py verify --dir DIR
      decodes the files `InferenceBench codec --out DIR` wrote: PNGs must round-trip exactly.
  python_peer.py codec [--iterations N]
      cv2.imencode of the same pixels InferenceBench encodes: JPEG q95, PNG at OpenCV's default and at level 6.

Prints one JSON object. CPU is getrusage(RUSAGE_SELF) over the measured loop only (imports excluded),
measured exactly as InferenceBench measures the Swift side.
"""
import argparse
import json
import os
import resource
import sys
import time
from concurrent.futures import ThreadPoolExecutor


def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime, r.ru_stime


def sdk(args):
    from inference_sdk import InferenceHTTPClient

    with open(args.spec) as f:
        spec = json.load(f)
    images = [args.image] if args.image else sorted(os.path.join(args.dir, n) for n in os.listdir(args.dir))
    n = args.requests or len(images)
    client = InferenceHTTPClient(api_url=args.url, api_key=None)

    def one(i):
        out = client.run_workflow(specification=spec, images={"image": images[i % len(images)]})
        assert out, "empty outputs"

    one(0)  # warm-up, as the Swift side does
    u0, s0 = cpu()
    t0 = time.perf_counter()
    if args.threads <= 1:
        for i in range(n):
            one(i)
    else:
        with ThreadPoolExecutor(args.threads) as pool:
            list(pool.map(one, range(n)))
    wall = time.perf_counter() - t0
    u1, s1 = cpu()
    print(json.dumps({"requests": n, "concurrency": args.threads, "wall_s": wall, "cpu_s": u1 - u0 + s1 - s0,
                      "user_s": u1 - u0, "sys_s": s1 - s0, "rps": n / wall,
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def codec(args):
    import cv2

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from bench_data import pixels

    rgb = pixels()
    bgr = cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)  # OpenCV's native order; conversion not timed
    cases = [
        ("jpeg_q95", ".jpg", [cv2.IMWRITE_JPEG_QUALITY, 95]),
        ("png_opencv_default", ".png", []),  # level 1, SUB filter, Z_RLE strategy
        ("png_level6", ".png", [cv2.IMWRITE_PNG_COMPRESSION, 6]),  # libpng's defaults: adaptive filters
    ]
    for name, ext, params in cases:
        ok, buf = cv2.imencode(ext, bgr, params)  # warm-up
        samples = []
        u0, s0 = cpu()
        for _ in range(args.iterations):
            t0 = time.perf_counter()
            ok, buf = cv2.imencode(ext, bgr, params)
            samples.append((time.perf_counter() - t0) * 1000)
        u1, s1 = cpu()
        assert ok
        print(json.dumps({"codec": name, "iterations": args.iterations, "best_ms": min(samples),
                          "mean_ms": sum(samples) / len(samples), "bytes": len(buf),
                          "cpu_ms": (u1 - u0 + s1 - s0) * 1000 / args.iterations}))


def verify(args):
    """Decodes InferenceBench's files with OpenCV: PNGs must give back the exact pixels, the JPEG a close image."""
    import cv2
    import numpy as np

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from bench_data import pixels

    rgb = pixels()
    for name in ("swift-fast.png", "swift-default.png"):
        decoded = cv2.imread(os.path.join(args.dir, name), cv2.IMREAD_UNCHANGED)
        assert decoded is not None and np.array_equal(cv2.cvtColor(decoded, cv2.COLOR_BGR2RGB), rgb), name
    decoded = cv2.cvtColor(cv2.imread(os.path.join(args.dir, "swift.jpg")), cv2.COLOR_BGR2RGB)
    psnr = cv2.PSNR(decoded, rgb)
    ok, ref = cv2.imencode(".jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 95])
    ref_psnr = cv2.PSNR(cv2.cvtColor(cv2.imdecode(ref, 1), cv2.COLOR_BGR2RGB), rgb)
    # The noise-and-wraparound test image is hard for 4:2:0 JPEG; the same quality as OpenCV's is what counts.
    assert psnr > ref_psnr - 0.5, f"JPEG PSNR {psnr:.2f} dB vs OpenCV's {ref_psnr:.2f} dB"
    print(json.dumps({"png_round_trip": "exact", "jpeg_psnr_db": round(psnr, 2), "opencv_jpeg_psnr_db": round(ref_psnr, 2)}))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["sdk", "codec", "verify"])
    p.add_argument("--url")
    p.add_argument("--spec")
    p.add_argument("--image")
    p.add_argument("--dir")
    p.add_argument("--requests", type=int, default=0)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--iterations", type=int, default=20)
    args = p.parse_args()
    {"sdk": sdk, "codec": codec, "verify": verify}[args.mode](args)


if __name__ == "__main__":
    main()
