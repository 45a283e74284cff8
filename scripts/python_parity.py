#!/usr/bin/env python3
"""Runs the shared fixture workflows through the Python `inference_sdk` and prints one JSON document.

    python_parity.py --api-url URL --fixtures DIR

Used by Tests/IntegrationTests/PythonParityTests.swift, which runs the same cases through the Swift client
and compares. Run it with the Python of the server's venv (`bash scripts/inference-server.sh venv`), which
has `inference_sdk` (same version as the server), Pillow and numpy.

The client is `InferenceHTTPClient(api_url=URL, api_key=None)` configured with
`output_visualisation_format=BASE64`, so image outputs come back as base64 text, not numpy arrays. Images are
given as file paths, exactly as a Python user would.

For every case the document holds:
  outputs       what `run_workflow` returned, normalised (see below);
  wire_outputs  the `outputs` of the HTTP response the SDK received, normalised the same way except that an
                image keeps its metadata (`run_workflow` reduces an image to its base64 text, dropping
                `parent_id`, `parent_origin`, `root_parent_*` and `video_metadata`);
  requests      every HTTP request the SDK sent for the case: method, path, selected headers and the JSON body,
                normalised the same way (input images become descriptors).
The wire is observed by wrapping `requests.post` (which the SDK calls) without changing what it sends.

Normalisation: every image becomes
  {"__image__": {"format": "jpeg|png|...", "width": W, "height": H, "sha256": HEX, "bytes": N}}
(base64 decoded, format sniffed from magic bytes, size from the header via Pillow), and volatile fields are
removed: any key `detection_id`; `parent_id`, `root_parent_id` and `video_identifier` when the value is a
UUID; any key `frame_timestamp`. Nothing else is changed.
"""
import argparse
import base64
import binascii
import hashlib
import io
import json
import os
import re
import sys
from urllib.parse import urlsplit

# The cases. The Swift test defines the same cases independently and checks them against these.
CASES = [
    {"name": "blur-single", "workflow": "blur.json", "images": {"image": "swatch.png"}, "parameters": {}},
    {
        "name": "blur-batch3",
        "workflow": "blur.json",
        "images": {"image": ["swatch.png", "template_scene.png", "template.png"]},
        "parameters": {},
    },
    {
        "name": "template-matching-crops",
        "workflow": "template-matching-crops.json",
        "images": {"image": "template_scene.png", "template": "template.png"},
        "parameters": {},
    },
    {
        "name": "scalars-and-parameters",
        "workflow": "scalars-and-parameters.json",
        "images": {"image": "swatch.png"},
        "parameters": {"min_width": 50, "label": "swatch"},
    },
    # Not a fixture file: a workflow whose only output is the input image, to see whether input bytes
    # survive the round trip unchanged (same definition as `Fixture.echo` in the Swift tests).
    {"name": "echo-input", "workflow": "@echo", "images": {"image": "swatch.png"}, "parameters": {}},
]

ECHO_SPECIFICATION = {
    "version": "1.0",
    "inputs": [{"type": "WorkflowImage", "name": "image"}],
    "steps": [],
    "outputs": [{"type": "JsonField", "name": "echo", "selector": "$inputs.image"}],
}

UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
UUID_VALUED = {"parent_id", "root_parent_id", "video_identifier"}
ALWAYS_VOLATILE = {"detection_id", "frame_timestamp"}
REQUEST_HEADERS = ("content-type", "accept", "accept-encoding", "authorization", "user-agent")
RESPONSE_HEADERS = ("content-type", "content-encoding")


def sniff(data):
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if data[:2] == b"BM":
        return "bmp"
    return None


def describe(data):
    """The descriptor of encoded image bytes."""
    from PIL import Image

    width = height = None
    try:
        with Image.open(io.BytesIO(data)) as image:  # reads the header only
            width, height = image.size
    except Exception:  # noqa: BLE001 - an unreadable image keeps null dimensions
        pass
    return {
        "__image__": {
            "format": sniff(data),
            "width": width,
            "height": height,
            "sha256": hashlib.sha256(data).hexdigest(),
            "bytes": len(data),
        }
    }


def image_bytes_of_text(text):
    """The decoded bytes when `text` is strict base64 of a known image format, else None."""
    if len(text) < 16:
        return None
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    return data if sniff(data) else None


def is_wire_image(value):
    # The same test as the SDK's `is_workflow_image` plus a string value (as the Swift `ImageOutput.isImageValue`).
    return isinstance(value, dict) and value.get("type") == "base64" and isinstance(value.get("value"), str)


def normalise(value, keep_image_metadata):
    """Images → descriptors, volatile fields removed. Works on SDK results (images are base64 text) and on
    wire JSON (images are {"type": "base64", "value": ...} objects)."""
    if is_wire_image(value):
        descriptor = describe(base64.b64decode(value["value"]))
        if keep_image_metadata:
            rest = {k: v for k, v in value.items() if k not in ("type", "value")}
            descriptor.update(normalise(rest, keep_image_metadata))
        return descriptor
    if isinstance(value, dict):
        result = {}
        for key, item in value.items():
            if key in ALWAYS_VOLATILE:
                continue
            if key in UUID_VALUED and isinstance(item, str) and UUID.match(item):
                continue
            result[key] = normalise(item, keep_image_metadata)
        return result
    if isinstance(value, (list, tuple)):
        return [normalise(item, keep_image_metadata) for item in value]
    if isinstance(value, str):
        data = image_bytes_of_text(value)
        return describe(data) if data is not None else value
    if value is None or isinstance(value, (bool, int, float)):
        return value
    raise TypeError(f"unexpected {type(value).__name__} in the SDK's result: {value!r:.200}")


class WireRecorder:
    """Wraps `requests.post` (what the SDK's `send_post_request` calls) and keeps what went out and came back."""

    def __init__(self):
        import requests

        self.requests_module = requests
        self.original = requests.post
        self.exchanges = []

    def __enter__(self):
        def post(url, *args, **kwargs):
            response = self.original(url, *args, **kwargs)
            self.exchanges.append(response)
            return response

        self.requests_module.post = post
        return self

    def __exit__(self, *exc):
        self.requests_module.post = self.original
        return False


def exchange_summary(response):
    sent = response.request
    body = sent.body
    if isinstance(body, str):
        body = body.encode("utf-8")
    headers = {k.lower(): v for k, v in sent.headers.items()}
    return {
        "method": sent.method,
        "path": urlsplit(sent.url).path,
        "query": urlsplit(sent.url).query,
        "headers": {name: headers[name] for name in REQUEST_HEADERS if name in headers},
        "body_bytes": len(body or b""),
        "body": normalise(json.loads(body), keep_image_metadata=True) if body else None,
        "response": {
            "status": response.status_code,
            "headers": {k.lower(): v for k, v in response.headers.items() if k.lower() in RESPONSE_HEADERS},
        },
    }


def file_path(fixtures, name):
    return os.path.join(fixtures, name)


def resolve_images(fixtures, images):
    """Image names → file paths (what is given to the SDK), keeping lists as batches."""
    result = {}
    for name, value in images.items():
        if isinstance(value, list):
            result[name] = [file_path(fixtures, item) for item in value]
        else:
            result[name] = file_path(fixtures, value)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--api-url", required=True)
    parser.add_argument("--fixtures", required=True, help="directory with the workflow JSON files and images")
    args = parser.parse_args()

    import inference_sdk
    from inference_sdk import InferenceConfiguration, InferenceHTTPClient, VisualisationResponseFormat

    client = InferenceHTTPClient(api_url=args.api_url, api_key=None)
    client.configure(InferenceConfiguration(output_visualisation_format=VisualisationResponseFormat.BASE64))

    files = sorted({name for case in CASES for v in case["images"].values() for name in (v if isinstance(v, list) else [v])})
    document = {
        "inference_sdk_version": getattr(inference_sdk, "__version__", None),
        "files": {},
        "cases": [],
    }
    for name in files:
        with open(file_path(args.fixtures, name), "rb") as f:
            document["files"][name] = describe(f.read())

    for case in CASES:
        if case["workflow"] == "@echo":
            specification = ECHO_SPECIFICATION
        else:
            with open(file_path(args.fixtures, case["workflow"]), "r", encoding="utf-8") as f:
                specification = json.load(f)
        with WireRecorder() as recorder:
            result = client.run_workflow(
                specification=specification,
                images=resolve_images(args.fixtures, case["images"]),
                parameters=case["parameters"] or None,
            )
        if not recorder.exchanges:
            raise RuntimeError(f"case {case['name']}: the SDK sent no request through requests.post")
        wire_outputs = []
        for response in recorder.exchanges:
            wire_outputs.extend(response.json()["outputs"])
        document["cases"].append(
            {
                **case,
                "requests": [exchange_summary(response) for response in recorder.exchanges],
                "outputs": normalise(result, keep_image_metadata=False),
                "wire_outputs": normalise(wire_outputs, keep_image_metadata=True),
            }
        )

    json.dump(document, sys.stdout, indent=1, allow_nan=True)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
