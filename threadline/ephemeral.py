"""Prefect's ephemeral API, started before the command imports Prefect.

Without a configured server (no ``PREFECT_API_URL``), Prefect starts a temporary API server in a
subprocess the first time a flow needs it, after the command has imported Prefect (about 3 s),
and then waits for that subprocess to import Prefect's server and answer (about 4 s more). The
command spends the first 3 s importing anyway, so ``start_early`` launches the same server
subprocess first, and ``adopt`` hands it to Prefect, whose ``SubprocessASGIServer`` then finds
it running: the two imports overlap. Measured for a 3-file ingest: 10.5 s -> 8.7 s.

Anything unexpected (an API URL configured in a Prefect profile, a port taken, an exit) leaves
Prefect to start its own server as it always does.

``flow_run_settings`` switches off flow-run heartbeats on an ephemeral API (see there).
"""

from __future__ import annotations

import atexit
import contextlib
import importlib.util
import os
import socket
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass
class EarlyServer:
    """The server subprocess and its port, until Prefect adopts it."""

    process: subprocess.Popen[bytes]
    port: int
    adopted: bool = False

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def stop(self) -> None:
        if self.adopted or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _profile_sets_api_url() -> bool:
    """Whether the active Prefect profile names a server (then there is nothing to start)."""
    home = Path(os.environ.get("PREFECT_HOME") or Path.home() / ".prefect").expanduser()
    path = Path(os.environ.get("PREFECT_PROFILES_PATH") or home / "profiles.toml").expanduser()
    try:
        profiles = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    active = os.environ.get("PREFECT_PROFILE") or profiles.get("active") or "ephemeral"
    settings = profiles.get("profiles", {}).get(active, {})
    return bool(isinstance(settings, dict) and settings.get("PREFECT_API_URL"))


def _free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_early() -> EarlyServer | None:
    """Launch the ephemeral API server subprocess now, when Prefect would start one later."""
    if os.environ.get("PREFECT_API_URL") or _profile_sets_api_url():
        return None
    spec = importlib.util.find_spec("prefect")
    if spec is None or spec.origin is None:
        return None
    port = _free_port()
    # The command and environment of prefect.server.api.server.SubprocessASGIServer (3.8).
    env = {
        **os.environ,
        "PREFECT_UI_ENABLED": "0",
        "PREFECT__SERVER_EPHEMERAL": "1",
        "PREFECT__SERVER_FINAL": "1",
    }
    process = subprocess.Popen(
        [
            sys.executable, "-m", "uvicorn", "--app-dir", str(Path(spec.origin).parent.parent),
            "--factory", "prefect.server.api.server:create_app", "--host", "127.0.0.1",
            "--port", str(port), "--log-level", "error", "--lifespan", "on",
        ],
        env=env,
    )  # fmt: skip
    server = EarlyServer(process, port)
    atexit.register(server.stop)
    return server


def adopt(server: EarlyServer | None, timeout: float = 120.0) -> bool:
    """Wait until the early server answers and hand it to Prefect (which stops it at exit).
    False, with the early server stopped, when Prefect should start its own after all."""
    if server is None:
        return False
    import httpx
    from prefect.server.api.server import SubprocessASGIServer
    from prefect.settings import PREFECT_API_URL

    prefect_server = SubprocessASGIServer()
    if PREFECT_API_URL.value() or prefect_server.running:
        server.stop()
        return False
    deadline = time.monotonic() + timeout
    with httpx.Client() as client:
        while time.monotonic() < deadline and server.process.poll() is None:
            with contextlib.suppress(httpx.HTTPError):
                if client.get(f"{server.api_url}/health").status_code == 200:
                    break
            time.sleep(0.05)
        else:
            server.stop()  # exited (port taken) or too slow: Prefect starts its own
            return False
    prefect_server.port = server.port
    prefect_server.server_process = server.process
    prefect_server.running = True
    atexit.register(prefect_server.stop)
    server.adopted = True
    return True


@contextlib.contextmanager
def flow_run_settings() -> Iterator[None]:
    """Prefect settings for the command's flow run. Without a configured server, no flow-run
    heartbeats: a server reads them to mark a run whose process died as crashed, but an
    ephemeral API lives and dies with this process, so nothing would ever read them. And
    Prefect's heartbeat thread sleeps in one-second steps that the end of the flow run waits
    out: measured, every flow run ended 1.0 s after its last statement with heartbeats, 0.03 s
    without. On a server they stay on (every 180 s by default)."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    if PREFECT_API_URL.value():
        yield
        return
    with temporary_settings(updates={"flows.heartbeat_frequency": None}):
        yield
