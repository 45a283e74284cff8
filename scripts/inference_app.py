"""ASGI app for the real `inference` server, assembled the way its CPU container assembles it.

Used only by scripts/inference-server.sh to run the server on loopback for tests and benchmarks.
"""
import os
from functools import partial
from multiprocessing import Process

from inference.core.interfaces.http.http_api import HttpInterface
from inference.core.managers.base import ModelManager
from inference.core.managers.decorators.fixed_size_cache import WithFixedSizeCache
from inference.core.registries.roboflow import RoboflowModelRegistry
from inference.models.utils import ROBOFLOW_MODEL_TYPES

if os.environ.get("ENABLE_STREAM_API", "").lower() == "true":
    # The pipeline manager is a separate process beside the HTTP app.
    from inference.core.interfaces.stream_manager.manager_app.app import start as start_manager

    _manager = Process(target=partial(start_manager, expected_warmed_up_pipelines=0), daemon=True)
    _manager.start()

_registry = RoboflowModelRegistry(ROBOFLOW_MODEL_TYPES)
_manager_models = WithFixedSizeCache(ModelManager(model_registry=_registry), max_size=8)
app = HttpInterface(_manager_models).app
