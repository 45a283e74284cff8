"""ASGI app for the real `inference` server, assembled the way its CPU container assembles it.

Used only by scripts/inference-server.sh to run the server on loopback for tests and benchmarks.
"""
import atexit
import os
import signal
import threading
import time
from functools import partial
from multiprocessing import Process

from inference.core.interfaces.http.http_api import HttpInterface
from inference.core.managers.base import ModelManager
from inference.core.managers.decorators.fixed_size_cache import WithFixedSizeCache
from inference.core.registries.roboflow import RoboflowModelRegistry
from inference.models.utils import ROBOFLOW_MODEL_TYPES


def _run_stream_manager() -> None:
    """The pipeline manager's process. It leads its own process group (its pipeline processes join it), and
    the whole group is killed when the HTTP app exits, however it exits: a wedged pipeline (e.g. a source
    that blocks on open) makes the manager ignore SIGTERM, and orphans would keep STREAM_MANAGER_PORT."""
    os.setpgid(0, 0)
    parent = os.getppid()

    def exit_with_parent() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os.killpg(0, signal.SIGKILL)

    threading.Thread(target=exit_with_parent, daemon=True).start()
    from inference.core.interfaces.stream_manager.manager_app.app import start as start_manager

    start_manager(expected_warmed_up_pipelines=0)


def _stop_stream_manager(process: Process) -> None:
    if process.is_alive() and process.pid is not None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.join(timeout=5)


if os.environ.get("ENABLE_STREAM_API", "").lower() == "true":
    # The pipeline manager is a separate process beside the HTTP app (as in the official CPU image).
    # It must NOT be daemonic: it starts one child process per pipeline, which daemonic processes may not
    # ("daemonic processes are not allowed to have children" -> HTTP 500 ProcessesManagerInternalError).
    # It listens on STREAM_MANAGER_PORT (default 7070): give each instance its own port.
    _manager = Process(target=_run_stream_manager, daemon=False)
    _manager.start()
    atexit.register(partial(_stop_stream_manager, _manager))

_registry = RoboflowModelRegistry(ROBOFLOW_MODEL_TYPES)
_manager_models = WithFixedSizeCache(ModelManager(model_registry=_registry), max_size=8)
app = HttpInterface(_manager_models).app
