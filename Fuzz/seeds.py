#!/usr/bin/env python3
"""Regenerates the committed seed corpora in Fuzz/Corpora from a running inference server.

    python3 Fuzz/seeds.py http://127.0.0.1:PORT

Success and error bodies are real answers of the server (shrunk to a few KB: long image values are cut to a
small real image, long lists to their first elements); images are the test fixtures plus a few hand-made
headers. Only loopback URLs are contacted.
"""
import base64, json, os, struct, sys, urllib.error, urllib.request, zlib

ROOT = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(ROOT, "..", "Tests", "Fixtures", "workflows")
OUT = os.path.join(ROOT, "Corpora")


def fixture(name):
    with open(os.path.join(FIXTURES, name), "rb") as f:
        return f.read()


def spec(name):
    return json.loads(fixture(name))


def post(url, path, body=None, raw=None):
    data = raw if raw is not None else json.dumps(body).encode()
    request = urllib.request.Request(url + path, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


SMALL = base64.b64encode(fixture("swatch.png")).decode()


def shrink(value, depth=0):
    """Cuts long base64 image values to a small real PNG and long lists/strings to a few elements."""
    if isinstance(value, dict):
        out = {k: shrink(v, depth + 1) for k, v in value.items()}
        if out.get("type") == "base64" and isinstance(out.get("value"), str) and len(out["value"]) > 800:
            out["value"] = SMALL
        return out
    if isinstance(value, list):
        return [shrink(v, depth + 1) for v in value[:3]]
    if isinstance(value, str) and len(value) > 600:
        return value[:600]
    return value


def write(target, name, data):
    os.makedirs(os.path.join(OUT, target), exist_ok=True)
    with open(os.path.join(OUT, target, name), "wb") as f:
        f.write(data)


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def main(url):
    image = {"type": "base64", "value": SMALL}
    scene = {"type": "base64", "value": base64.b64encode(fixture("template_scene.png")).decode()}
    template = {"type": "base64", "value": base64.b64encode(fixture("template.png")).decode()}
    echo = {"version": "1.0", "inputs": [{"type": "WorkflowImage", "name": "image"}], "steps": [],
            "outputs": [{"type": "JsonField", "name": "echo", "selector": "$inputs.image"}]}
    answers = {
        "scalars": post(url, "/workflows/run", {"specification": spec("scalars-and-parameters.json"),
                                               "inputs": {"image": image, "min_width": 1, "label": "x"}}),
        "crops": post(url, "/workflows/run", {"specification": spec("template-matching-crops.json"),
                                             "inputs": {"image": scene, "template": template}}),
        "blur-batch": post(url, "/workflows/run", {"specification": spec("blur.json"),
                                                  "inputs": {"image": [image, image], "kernel_size": 3}}),
        "echo": post(url, "/workflows/run", {"specification": echo, "inputs": {"image": image}}),
        "400-unknown-block": post(url, "/workflows/run", {"specification": {"version": "1.0", "inputs": [], "steps": [
            {"type": "roboflow_core/nope@v1", "name": "x"}], "outputs": []}, "inputs": {}}),
        "400-input": post(url, "/workflows/run", {"specification": spec("blur.json"),
                                                 "inputs": {"image": image, "kernel_size": "abc"}}),
        "400-bad-image": post(url, "/workflows/run", {"specification": spec("blur.json"),
                                                     "inputs": {"image": {"type": "base64", "value": "aGVsbG8="}}}),
        "422-no-inputs": post(url, "/workflows/run", {"specification": spec("blur.json")}),
        "422-bad-json": post(url, "/workflows/run", raw=b'{"inputs": '),
        "500-step": post(url, "/workflows/run", {"specification": spec("scalars-and-parameters.json"),
                                                "inputs": {"image": image, "label": "x"}}),
    }
    jpegs = []
    for name, (status, body) in answers.items():
        parsed = json.loads(body)
        small = json.dumps(shrink(parsed), separators=(",", ":")).encode()
        target = "FuzzResponseDecoder" if status == 200 else "FuzzServerError"
        write(target, name + ".json", small)
        write("FuzzJSON", name + ".json", small)
        if status == 200:
            for output in parsed["outputs"]:
                for value in output.values():
                    items = value if isinstance(value, list) else [value]
                    for item in items:
                        if isinstance(item, dict) and item.get("type") == "base64":
                            raw = base64.b64decode(item["value"])
                            if raw[:2] == b"\xff\xd8" and len(raw) < 6000 and raw not in jpegs:
                                jpegs.append(raw)
    write("FuzzServerError", "plain-message.json", b'{"message":"Unauthorized api_key","status":401}')
    write("FuzzServerError", "html.html", b"<html><body><h1>502 Bad Gateway</h1></body></html>")
    write("FuzzJSON", "numbers.json", b'[0,-0,1.5e300,-1E-300,9223372036854775807,9223372036854775808,NaN,-Infinity,1.0]')
    write("FuzzJSON", "strings.json", '["\\u00e9\\ud83d\\ude00","\\ud800","é\\n\\t\\"\\\\\\/"]'.encode())
    # Base64 text: real image values, data URIs, URL-safe, wrapped, unpadded.
    write("FuzzBase64", "png.txt", SMALL.encode())
    write("FuzzBase64", "data-uri.txt", ("data:image/png;base64," + SMALL[:200]).encode())
    write("FuzzBase64", "urlsafe.txt", b"-_-_AAEC")
    write("FuzzBase64", "wrapped.txt", b"aGVs\nbG8g\r\nd29y bGQ")
    write("FuzzBase64", "unpadded.txt", b"aGVsbG8")
    write("FuzzBase64", "padding.txt", b"aGk=aGk=")
    # Images: fixtures, server-made JPEGs, and minimal headers of the other sniffed formats.
    ihdr = png_chunk(b"IHDR", struct.pack(">IIBBBBB", 3, 2, 8, 2, 0, 0, 0))
    idat = png_chunk(b"IDAT", zlib.compress(b"\x00" + b"\x10" * 9 + b"\x00" + b"\x80" * 9))
    tiny_png = b"\x89PNG\r\n\x1a\n" + ihdr + idat + png_chunk(b"IEND", b"")
    headers = {
        "tiny.png": tiny_png,
        "gif.gif": b"GIF89a\x07\x00\x03\x00\x00\x00\x00;",
        "bmp.bmp": b"BM" + b"\x00" * 12 + struct.pack("<Iii", 40, 7, -3) + b"\x00" * 28,
        "webp-vp8x.webp": b"RIFF\x1e\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00\x00\x00\x00\x00\x06\x00\x00\x02\x00\x00",
        "tiff-le.tif": b"II*\x00\x08\x00\x00\x00\x02\x00\x00\x01\x03\x00\x01\x00\x00\x00\x07\x00\x00\x00"
                       b"\x01\x01\x03\x00\x01\x00\x00\x00\x03\x00\x00\x00",
    }
    images = {"swatch.png": fixture("swatch.png"), "template.png": fixture("template.png"), **headers}
    for index, jpeg in enumerate(jpegs[:3]):
        images["server-%d.jpg" % index] = jpeg
    for name, data in images.items():
        write("FuzzImageHeader", name, data)
        if name.endswith(".png") or name.endswith(".jpg"):
            write("FuzzImageDecode", name, data)


if __name__ == "__main__":
    if len(sys.argv) != 2 or not sys.argv[1].startswith("http://127.0.0.1:"):
        sys.exit("usage: seeds.py http://127.0.0.1:PORT")
    main(sys.argv[1].rstrip("/"))
