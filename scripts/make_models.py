#!/usr/bin/env python3
"""Builds the project's model fixtures: small YOLOv8n-format ONNX models made on this machine (nothing downloaded),
installed into an inference 1.8.3 offline model cache (`OFFLINE_MODE=True MODEL_CACHE_DIR=<out>`).

Run by scripts/model-fixtures.sh with the fixtures venv's python (ultralytics, plus the server venv's packages through
a .pth file):   python scripts/make_models.py --out DIR [--images DIR]

How the weights are made (../shared/docs/real-models.md): ultralytics builds each network from its bundled yaml with
seeded random weights; batch-norm statistics are estimated over a few pictures (else every feature is a constant);
each detection head's class scores are rewritten in the graph (normalise_scores) so that only the 15 best anchors of
a picture score, by rank, 0.95 down to 0.23: a few boxes (1-15) on any picture, with boxes and classes from the
picture, the same answer for the same picture; the classifier's last layer is scaled so its top class clears ~0.5; the multi-label classifier is that classifier with
its Softmax replaced by a Sigmoid over logits minus each class's median. Paths in the cache come from the server's own
functions (inference / inference_models), imported after MODEL_CACHE_DIR is set.
"""
import argparse
import glob
import json
import math
import os
import random
import shutil
import sys
import time

SEED = 18
TOP_ANCHORS = 15  # no image gets more boxes than this
RANK_STEP = 0.3  # logit step between ranked anchors: 12 of the 15 clear the server's default confidence 0.4
CLASS_LOGIT_SCALE = 0.05

COCO_CLASSES = [
    "person", "bicycle", "car", "motorcycle", "airplane", "bus", "train", "truck", "boat", "traffic light",
    "fire hydrant", "stop sign", "parking meter", "bench", "bird", "cat", "dog", "horse", "sheep", "cow",
    "elephant", "bear", "zebra", "giraffe", "backpack", "umbrella", "handbag", "tie", "suitcase", "frisbee",
    "skis", "snowboard", "sports ball", "kite", "baseball bat", "baseball glove", "skateboard", "surfboard",
    "tennis racket", "bottle", "wine glass", "cup", "fork", "knife", "spoon", "bowl", "banana", "apple",
    "sandwich", "orange", "broccoli", "carrot", "hot dog", "pizza", "donut", "cake", "chair", "couch",
    "potted plant", "bed", "dining table", "toilet", "tv", "laptop", "mouse", "remote", "keyboard", "cell phone",
    "microwave", "oven", "toaster", "sink", "refrigerator", "book", "clock", "vase", "scissors", "teddy bear",
    "hair drier", "toothbrush",
]
COCO_KEYPOINTS = [
    "nose", "left_eye", "right_eye", "left_ear", "right_ear", "left_shoulder", "right_shoulder", "left_elbow",
    "right_elbow", "left_wrist", "right_wrist", "left_hip", "right_hip", "left_knee", "right_knee", "left_ankle",
    "right_ankle",
]
# COCO's skeleton, 1-based as in the dataset's annotations.
COCO_SKELETON = [
    (16, 14), (14, 12), (17, 15), (15, 13), (12, 13), (6, 12), (7, 13), (6, 7), (6, 8), (7, 9), (8, 10), (9, 11),
    (2, 3), (1, 2), (1, 3), (2, 4), (3, 5), (4, 6), (5, 7),
]
TEST_PICTURES = [(101, "scene-1.jpg"), (202, "scene-2.jpg")]  # seeds of the committed test pictures
SYNTHETIC_SCENES = 8  # the first calibration pictures, the test pictures among them
CLASSIFIER_CLASSES = ["cat", "dog", "bird", "car", "person"]

# model id -> what to build; "weights" names the network (two ids may share one), "env" the variable that
# scripts/test.sh exports with the id a test should use (the alias when there is one).
MODELS = [
    {"id": "coco/3", "aliases": ["yolov8n-640"], "task": "object-detection", "weights": "detector",
     "env": "INFERENCE_MODEL_DETECTION"},
    {"id": "sdk-detector/1", "aliases": [], "task": "object-detection", "weights": "detector",
     "env": "INFERENCE_MODEL_DETECTION_PROJECT"},
    {"id": "sdk-seg/1", "aliases": [], "task": "instance-segmentation", "weights": "segmenter",
     "env": "INFERENCE_MODEL_SEGMENTATION"},
    {"id": "sdk-pose/1", "aliases": [], "task": "keypoint-detection", "weights": "pose",
     "env": "INFERENCE_MODEL_KEYPOINTS"},
    {"id": "sdk-cls/1", "aliases": [], "task": "classification", "weights": "classifier",
     "env": "INFERENCE_MODEL_CLASSIFICATION"},
    {"id": "sdk-multilabel/1", "aliases": [], "task": "multi-label-classification", "weights": "multilabel",
     "env": "INFERENCE_MODEL_MULTILABEL"},
]
NETWORKS = {
    "detector": {"yaml": "yolov8n.yaml", "classes": COCO_CLASSES, "size": 640},
    "segmenter": {"yaml": "yolov8n-seg.yaml", "classes": COCO_CLASSES, "size": 640},
    "pose": {"yaml": "yolov8n-pose.yaml", "classes": ["person"], "size": 640},
    "classifier": {"yaml": "yolov8n-cls.yaml", "classes": CLASSIFIER_CLASSES, "size": 224},
}


def log(message):
    print(f"make_models: {message}", file=sys.stderr, flush=True)


# --- pictures --------------------------------------------------------------------------------------------------

def synthetic_scene(seed, width=640, height=480):
    """A deterministic 640x480 RGB picture: sky and ground gradients, a sun, houses, trees, cars and a few people-like
    figures, with mild noise (numpy + PIL only)."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter

    rng = np.random.default_rng(seed)
    horizon = int(height * rng.uniform(0.45, 0.6))
    y = np.arange(height, dtype=np.float32)[:, None, None]
    sky_top, sky_bottom = np.array([60, 110, 200]), np.array([170, 210, 240])
    ground_top, ground_bottom = np.array([90, 140, 70]), np.array([50, 90, 40])
    t_sky = np.clip(y / max(horizon, 1), 0, 1)
    t_ground = np.clip((y - horizon) / max(height - horizon, 1), 0, 1)
    sky = sky_top + (sky_bottom - sky_top) * t_sky
    ground = ground_top + (ground_bottom - ground_top) * t_ground
    pixels = np.where(y < horizon, sky, ground) * np.ones((1, width, 1), dtype=np.float32)
    image = Image.fromarray(pixels.clip(0, 255).astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(image)
    sx, sy = rng.integers(40, width - 40), rng.integers(20, max(horizon - 60, 30))
    draw.ellipse([sx - 28, sy - 28, sx + 28, sy + 28], fill=(250, 220, 90))
    road_top = horizon + int((height - horizon) * 0.55)
    draw.rectangle([0, road_top, width, road_top + 50], fill=(70, 70, 75))
    for _ in range(int(rng.integers(2, 4))):  # houses
        w, h = int(rng.integers(90, 150)), int(rng.integers(70, 120))
        x0 = int(rng.integers(0, width - w))
        base = horizon + int(rng.integers(5, 25))
        wall = tuple(int(c) for c in rng.integers(120, 230, 3))
        draw.rectangle([x0, base - h, x0 + w, base], fill=wall, outline=(40, 40, 40))
        draw.polygon([(x0 - 10, base - h), (x0 + w // 2, base - h - 45), (x0 + w + 10, base - h)], fill=(150, 50, 40))
        draw.rectangle([x0 + w // 2 - 12, base - 40, x0 + w // 2 + 12, base], fill=(90, 60, 30))
    for _ in range(int(rng.integers(2, 5))):  # trees
        x0 = int(rng.integers(10, width - 10))
        base = horizon + int(rng.integers(0, 30))
        draw.rectangle([x0 - 5, base - 50, x0 + 5, base], fill=(100, 70, 40))
        draw.ellipse([x0 - 30, base - 110, x0 + 30, base - 40], fill=(40, int(rng.integers(110, 160)), 50))
    for _ in range(int(rng.integers(1, 3))):  # cars on the road
        x0 = int(rng.integers(0, width - 120))
        body = tuple(int(c) for c in rng.integers(30, 255, 3))
        draw.rounded_rectangle([x0, road_top + 8, x0 + 110, road_top + 38], radius=8, fill=body)
        draw.rectangle([x0 + 25, road_top - 8, x0 + 80, road_top + 10], fill=body)
        for wx in (x0 + 22, x0 + 88):
            draw.ellipse([wx - 10, road_top + 30, wx + 10, road_top + 50], fill=(20, 20, 20))
    for _ in range(int(rng.integers(1, 4))):  # figures
        x0 = int(rng.integers(20, width - 20))
        feet = int(rng.integers(horizon + 30, height - 10))
        scale = 0.6 + (feet - horizon) / (height - horizon)
        hh = int(70 * scale)
        shirt = tuple(int(c) for c in rng.integers(30, 255, 3))
        draw.ellipse([x0 - 7 * scale, feet - hh - 14 * scale, x0 + 7 * scale, feet - hh], fill=(230, 190, 160))
        draw.rectangle([x0 - 9 * scale, feet - hh, x0 + 9 * scale, feet - hh * 0.45], fill=shirt)
        draw.rectangle([x0 - 8 * scale, feet - hh * 0.45, x0 + 8 * scale, feet], fill=(40, 40, 90))
    image = image.filter(ImageFilter.GaussianBlur(0.8))
    noise = rng.normal(0, 4, (height, width, 3))
    return Image.fromarray((np.asarray(image, dtype=np.float32) + noise).clip(0, 255).astype(np.uint8), "RGB")


def calibration_pictures():
    """Synthetic scenes plus the photographs that the installed packages ship (found by name; missing ones skipped)."""
    from PIL import Image

    pictures = [synthetic_scene(seed) for seed in range(SYNTHETIC_SCENES - len(TEST_PICTURES))]
    pictures += [synthetic_scene(seed) for seed, _ in TEST_PICTURES]
    patterns = ["ultralytics/assets/*.jpg", "matplotlib/mpl-data/sample_data/grace_hopper.jpg",
                "skimage/data/astronaut.png", "skimage/data/coffee.png", "skimage/data/chelsea.png",
                "skimage/data/rocket.jpg"]
    for site in sorted({p for p in sys.path if p.endswith("site-packages")}):
        for pattern in patterns:
            for path in sorted(glob.glob(os.path.join(site, pattern))):
                pictures.append(Image.open(path).convert("RGB"))
    return pictures


def to_tensor(pictures, size):
    import numpy as np
    import torch

    arrays = [np.asarray(p.resize((size, size)), dtype=np.float32) / 255.0 for p in pictures]  # stretch, RGB
    return torch.from_numpy(np.stack(arrays)).permute(0, 3, 1, 2).contiguous()


# --- networks --------------------------------------------------------------------------------------------------

def normalise_scores(scores, class_scale=CLASS_LOGIT_SCALE):
    """Class scores (B, classes, anchors) that hold on any picture: the TOP_ANCHORS anchors with the highest class
    logit (ties, as flat areas give, broken by position) score by rank — sigmoid(3 - RANK_STEP * rank): 0.95, 0.94,
    0.92, … 0.23 — for their best class, other classes fall off with their logit's distance to it over
    `class_scale`, and every other anchor scores ~0. Boxes and classes come from the picture; no picture gives more
    than TOP_ANCHORS boxes, every picture at least one."""
    import torch

    best = scores.amax(dim=1)  # B, anchors
    ramp = torch.arange(best.shape[-1], dtype=best.dtype, device=best.device) * 1e-6
    top = (best + ramp).topk(TOP_ANCHORS, dim=1).indices  # B, TOP_ANCHORS
    ranks = 3.0 - RANK_STEP * torch.arange(TOP_ANCHORS, dtype=scores.dtype, device=scores.device)
    per_anchor = torch.full_like(best, -30.0).scatter(1, top, ranks.unsqueeze(0).expand(top.shape[0], -1))
    return per_anchor.unsqueeze(1) + (scores - best.unsqueeze(1)) / class_scale


def patch_detect_head():
    """Detect._inference with normalise_scores when the head has `sdk_normalise` set (Segment and Pose call it too)."""
    import torch
    from ultralytics.nn.modules.head import Detect

    def _inference(self, x):
        dbox = self._get_decode_boxes(x)
        scores = x["scores"]
        if getattr(self, "sdk_normalise", False):
            scores = normalise_scores(scores)
        return torch.cat((dbox, scores.sigmoid()), 1)

    Detect._inference = _inference


def calibrate_batch_norm(model, batches):
    import torch

    for module in model.modules():
        if isinstance(module, torch.nn.BatchNorm2d):
            module.reset_running_stats()
            module.momentum = None  # cumulative average over every batch
    model.train()
    with torch.no_grad():
        for batch in batches:
            model(batch)
    model.eval()


def build_network(name, spec, pictures, work):
    import torch
    from ultralytics import YOLO

    random.seed(SEED)
    torch.manual_seed(SEED)
    from ultralytics.nn.tasks import yaml_model_load
    import yaml

    cfg = yaml_model_load(spec["yaml"])  # ultralytics' bundled architecture
    cfg["nc"] = len(spec["classes"])
    cfg.pop("yaml_file", None)
    cfg_path = os.path.join(work, spec["yaml"].replace(".yaml", "-sdk.yaml"))  # keeps "yolov8n": the scale
    with open(cfg_path, "w") as f:
        yaml.safe_dump(cfg, f, sort_keys=False)
    torch.manual_seed(SEED)
    yolo = YOLO(cfg_path)
    model = yolo.model
    model.names = {i: n for i, n in enumerate(spec["classes"])}
    size = spec["size"]
    generator = torch.Generator().manual_seed(SEED)
    statistics_size = min(size, 320)  # batch-norm statistics at a lower resolution: 4x faster, close enough
    batches = [to_tensor(pictures[i:i + 5], statistics_size) for i in range(0, len(pictures), 5)]
    batches.append(torch.rand(4, 3, statistics_size, statistics_size, generator=generator))
    t0 = time.monotonic()
    calibrate_batch_norm(model, batches)
    details = {"batch_norm_s": round(time.monotonic() - t0, 1)}
    if name == "classifier":
        with torch.no_grad():
            model.model[-1].linear.weight.mul_(25.0)
            model.model[-1].linear.bias.mul_(25.0)
            probabilities, logits = model(to_tensor(pictures, size))
        details["top_confidence"] = [round(float(v), 3) for v in probabilities.max(dim=1).values]
        scenes = logits[:SYNTHETIC_SCENES]  # the multi-label statistics: on scenes like the test pictures
        details["median_logits"] = [float(v) for v in scenes.median(dim=0).values]
        details["logit_spread"] = [float(v) for v in scenes.std(dim=0)]
    else:
        model.model[-1].sdk_normalise = True
    t0 = time.monotonic()
    here = os.getcwd()
    os.chdir(work)
    try:
        exported = yolo.export(format="onnx", imgsz=size, opset=17, dynamic=True, simplify=False, verbose=False)
    finally:
        os.chdir(here)
    details["export_s"] = round(time.monotonic() - t0, 1)
    target = os.path.join(work, f"{name}.onnx")
    shutil.move(os.path.join(work, exported) if not os.path.isabs(exported) else exported, target)
    strip_export_date(target)
    return target, details


def strip_export_date(path):
    """ultralytics stamps the export time into the model's metadata: without it the same recipe gives the same bytes."""
    import onnx

    graph_model = onnx.load(path)
    kept = [p for p in graph_model.metadata_props if p.key != "date"]
    del graph_model.metadata_props[:]
    graph_model.metadata_props.extend(kept)
    onnx.save(graph_model, path)


def make_multilabel(classifier_onnx, median_logits, logit_spread, target):
    """The classifier with its Softmax replaced by Sigmoid((logits - median logit of each class) * 3 / the class's
    spread + logit(0.4)): each class reaches the server's default confidence 0.4 on about half the scenes like the test
    pictures, with confidences spread over (0, 1)."""
    import numpy as np
    import onnx
    from onnx import helper, numpy_helper

    graph_model = onnx.load(classifier_onnx)
    graph = graph_model.graph
    softmax = [n for n in graph.node if n.op_type == "Softmax"]
    assert len(softmax) == 1, f"expected one Softmax node, found {len(softmax)}"
    node = softmax[0]
    index = list(graph.node).index(node)
    medians = numpy_helper.from_array(np.asarray(median_logits, dtype=np.float32)[None, :], "sdk_class_medians")
    graph.initializer.append(medians)
    spread = np.maximum(np.asarray(logit_spread, dtype=np.float32), 1e-6)
    gains = numpy_helper.from_array((3.0 / spread)[None, :], "sdk_class_gains")
    offset = numpy_helper.from_array(np.asarray([math.log(0.4 / 0.6)], dtype=np.float32), "sdk_threshold_offset")
    graph.initializer.append(offset)
    graph.initializer.append(gains)
    centred, scaled, shifted = (node.input[0] + suffix for suffix in ("_centred", "_scaled", "_shifted"))
    sub = helper.make_node("Sub", [node.input[0], "sdk_class_medians"], [centred], name="sdk_centre")
    mul = helper.make_node("Mul", [centred, "sdk_class_gains"], [scaled], name="sdk_scale")
    add = helper.make_node("Add", [scaled, "sdk_threshold_offset"], [shifted], name="sdk_shift")
    sigmoid = helper.make_node("Sigmoid", [shifted], list(node.output), name="sdk_sigmoid")
    graph.node.remove(node)
    for offset, new in enumerate((sub, mul, add, sigmoid)):
        graph.node.insert(index + offset, new)
    onnx.checker.check_model(graph_model)
    onnx.save(graph_model, target)


# --- the server's cache ----------------------------------------------------------------------------------------

def inference_config(task, size):
    network_input = {
        "training_input_size": {"height": size, "width": size},
        "dynamic_spatial_size_supported": False,
        "color_mode": "rgb",
        "resize_mode": "stretch",
        "input_channels": 3,
        "scaling_factor": 255,
    }
    post = {
        "classification": {"type": "softmax", "fused": True},
        "multi-label-classification": {"type": "sigmoid", "fused": True},
    }.get(task, {"type": "nms", "fused": False})
    return {
        "network_input": network_input,
        "forward_pass": {"max_dynamic_batch_size": 8},
        "post_processing": post,
    }


def keypoints_metadata():
    return [{
        "object_class": "person",
        "object_class_id": 0,
        "keypoints": {str(i): name for i, name in enumerate(COCO_KEYPOINTS)},
        "edges": [{"from": a - 1, "to": b - 1} for a, b in COCO_SKELETON],
    }]


def install(entry, weights_path, classes, size):
    """Lays one model id out in MODEL_CACHE_DIR, with paths from the server's own functions."""
    import hashlib
    from inference.core.cache.model_artifacts import get_cache_dir
    from inference_models.models.auto_loaders.entities import BackendType
    from inference_models.models.auto_loaders.model_cache_paths import generate_model_package_cache_path
    from inference_models.weights_providers.entities import (
        LocalFileArtefactSpecs, ModelMetadata, ModelPackageMetadata, ONNXPackageDetails, PackageSourceType,
        Quantization,
    )
    from inference_models.weights_providers.offline_registry import RECORD_SOURCE_CLI_INSTALL, record_successful_load

    model_id, task = entry["id"], entry["task"]
    architecture = "resnet" if task == "multi-label-classification" else "yolov8"
    variant = "resnet18" if architecture == "resnet" else "yolov8n"
    legacy = get_cache_dir(model_id)
    os.makedirs(legacy, exist_ok=True)
    with open(os.path.join(legacy, "model_type.json"), "w") as f:
        json.dump({"project_task_type": task, "model_type": architecture, "model_variant": variant,
                   "model_id": model_id}, f)
    package = generate_model_package_cache_path(model_id=model_id, package_id="onnxfp32")
    os.makedirs(package, exist_ok=True)
    shutil.copyfile(weights_path, os.path.join(package, "weights.onnx"))
    with open(os.path.join(package, "class_names.txt"), "w") as f:
        f.write("\n".join(classes) + "\n")
    with open(os.path.join(package, "inference_config.json"), "w") as f:
        json.dump(inference_config(task, size), f, indent=2)
    if task == "keypoint-detection":
        with open(os.path.join(package, "keypoints_metadata.json"), "w") as f:
            json.dump(keypoints_metadata(), f, indent=2)
    artefacts = []
    for name in sorted(os.listdir(package)):
        with open(os.path.join(package, name), "rb") as f:
            artefacts.append(LocalFileArtefactSpecs(file_handle=name, md5_hash=hashlib.md5(f.read()).hexdigest()))
    metadata = ModelMetadata(
        model_id=model_id,
        model_architecture=architecture,
        task_type=task,
        model_variant=variant,
        model_packages=[ModelPackageMetadata(
            package_id="onnxfp32", backend=BackendType.ONNX, package_artefacts=artefacts,
            package_source=PackageSourceType.LOCAL_CACHE, quantization=Quantization.FP32,
            dynamic_batch_size_supported=True, onnx_package_details=ONNXPackageDetails(opset=17),
            trusted_source=True,
        )],
    )
    for requested in [model_id] + entry["aliases"]:
        assert record_successful_load(metadata, requested_model_id=requested, proven_package_id="onnxfp32",
                                      source=RECORD_SOURCE_CLI_INSTALL), f"the registry refused {model_id}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", help="the MODEL_CACHE_DIR to fill (created)")
    parser.add_argument("--images-only", help="write only the test pictures (scene-1.jpg, scene-2.jpg) here")
    args = parser.parse_args()
    if args.images_only:
        os.makedirs(args.images_only, exist_ok=True)
        for seed, name in TEST_PICTURES:
            synthetic_scene(seed).save(os.path.join(args.images_only, name), quality=90)
        return
    if not args.out:
        parser.error("--out or --images-only")
    out = os.path.abspath(args.out)
    work = os.path.join(out, ".work")
    os.makedirs(work, exist_ok=True)
    os.environ["MODEL_CACHE_DIR"] = out
    os.environ["INFERENCE_HOME"] = out
    os.environ.setdefault("YOLO_OFFLINE", "True")
    os.environ.setdefault("YOLO_CONFIG_DIR", os.path.join(work, "ultralytics-config"))
    os.environ.setdefault("YOLO_VERBOSE", "False")

    import warnings

    import numpy as np
    import torch

    warnings.filterwarnings("ignore", message=".*deprecation stub.*")  # inference's import-time notices
    np.random.seed(SEED)
    patch_detect_head()

    started = time.monotonic()
    pictures = calibration_pictures()
    log(f"{len(pictures)} calibration pictures")
    weights, report = {}, {}
    for name, spec in NETWORKS.items():
        t0 = time.monotonic()
        weights[name], report[name] = build_network(name, spec, pictures, work)
        shown = {k: v for k, v in report[name].items() if k not in ("median_logits", "logit_spread")}
        log(f"{name}: {shown} ({time.monotonic() - t0:.1f} s)")
    weights["multilabel"] = os.path.join(work, "multilabel.onnx")
    make_multilabel(weights["classifier"], report["classifier"]["median_logits"],
                    report["classifier"]["logit_spread"], weights["multilabel"])
    sizes = {"multilabel": 224}
    classes = {"multilabel": CLASSIFIER_CLASSES}
    for entry in MODELS:
        network = entry["weights"]
        spec = NETWORKS.get(network, {})
        install(entry, weights[network], classes.get(network, spec.get("classes")), sizes.get(network, spec.get("size")))
    manifest = {
        "models": [{"model_id": alias, "canonical_model_id": e["id"], "task": e["task"]}
                   for e in MODELS for alias in e["aliases"] + [e["id"]]],
        "env": {e["env"]: (e["aliases"] + [e["id"]])[0] for e in MODELS},
        "build": {k: {kk: vv for kk, vv in v.items() if not kk.endswith("_s")} for k, v in report.items()},
    }
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
    shutil.rmtree(work, ignore_errors=True)
    log(f"built {len(MODELS)} model ids in {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()
