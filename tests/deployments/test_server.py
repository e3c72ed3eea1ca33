"""End to end on a real Prefect server: deploy from deployments/prefect.yaml, run a process
worker, trigger two deployment runs at once, check the DuckDB file holds exactly both runs' data.

Everything goes through the commands of the README ("Running on a Prefect server"), run with
this virtualenv's ``prefect``: ``prefect server start`` (SQLite, 127.0.0.1, a free port, its own
PREFECT_HOME), ``prefect work-pool create``, ``prefect --no-prompt deploy``, ``prefect worker
start`` and two concurrent ``prefect deployment run`` (one per deployment, overlapping inputs).
The expected rows come from the pure pipeline (transforms.pipeline + transforms.load) run on the
same inputs into a separate file. Server, worker and their children are killed at the end, also
when the test fails.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import duckdb
import httpx
import pytest

from tests.conftest import REPO, SAMPLES

PREFECT = str(Path(sys.executable).parent / "prefect")  # this venv's CLI (worker runs its python)
POOL = "threadline"
WRITER_LIMIT = "threadline-duckdb-writer"
SERVER_START_TIMEOUT = 120.0
CLI_TIMEOUT = 120.0
RUNS_TIMEOUT = 150.0

# Columns that depend on when or by which run a row was written.
_VOLATILE = "first_seen_at, last_seen_at, updated_at, last_run_id"


def test_fastapi_keeps_prefect_filters_working() -> None:
    """Prefect 3.8.8's client sends ``"limit": null`` in filter bodies (deployment ls, artifact
    and worker reads, the end of ``prefect deploy``); fastapi >= 0.151 answers 422 to that, which
    breaks a real server. Checked here with Prefect's own dependency, in milliseconds."""
    import fastapi
    from fastapi.testclient import TestClient
    from prefect.server.api.dependencies import LimitBody

    app = fastapi.FastAPI()

    @app.post("/filter")  # the shape of Prefect's read endpoints (e.g. workers/filter)
    def read(limit: int = LimitBody(), offset: int = fastapi.Body(0, ge=0)) -> int:
        return limit + offset

    response = TestClient(app).post("/filter", json={"limit": None, "offset": None})
    assert response.status_code == 200, (
        f"fastapi {fastapi.__version__} rejects Prefect {_prefect_version()}'s null filter "
        f"fields ({response.status_code}); the server API breaks. Pin fastapi<0.151."
    )


def _prefect_version() -> str:
    import prefect

    return str(prefect.__version__)


# ---------------------------------------------------------------- processes


class Processes:
    """Background processes (each in its own session) with their logs; stops them and every
    descendant, by pid."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.started: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str, args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        log = (self.logs / f"{name}.log").open("wb")
        proc = subprocess.Popen(
            args, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        log.close()
        self.started[name] = proc
        return proc

    def log(self, name: str, tail: int = 4000) -> str:
        path = self.logs / f"{name}.log"
        return path.read_text(errors="replace")[-tail:] if path.exists() else ""

    def stop_all(self) -> None:
        pids = set()
        for proc in self.started.values():
            pids |= _descendants(proc.pid)
        for proc in self.started.values():
            _signal_group(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for proc in self.started.values():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        for pid in pids:  # flow-run processes may live in sessions of their own
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)


def _signal_group(pid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, sig)  # started with start_new_session: the group id is the pid


def _descendants(root: int) -> set[int]:
    """Pids of every process below ``root`` (from /proc; empty where there is none)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found: set[int] = set()
    todo = [root]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _cli(args: list[str], env: dict[str, str]) -> str:
    """Run a prefect command to the end; its output (fails the test on a non-zero exit)."""
    try:
        done = subprocess.run(
            [PREFECT, *args], cwd=REPO, env=env, capture_output=True, text=True,
            timeout=CLI_TIMEOUT, stdin=subprocess.DEVNULL,
        )  # fmt: skip
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"`prefect {' '.join(args)}` still running after {CLI_TIMEOUT:.0f} s: {exc}")
    output = done.stdout + done.stderr
    if done.returncode != 0:
        pytest.fail(f"`prefect {' '.join(args)}` exited {done.returncode}:\n{output[-4000:]}")
    return output


@pytest.fixture
def prefect_server(tmp_path: Path) -> Iterator[tuple[str, dict[str, str], Processes]]:
    """A real ``prefect server start`` on 127.0.0.1 with SQLite in its own PREFECT_HOME; yields
    its API URL, the environment for commands talking to it, and the process registry."""
    logs = tmp_path / "logs"
    logs.mkdir()
    url = f"http://127.0.0.1:{_free_port()}/api"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "THREADLINE_"))}
    env.update(
        PREFECT_HOME=str(tmp_path / "prefect-home"),
        PREFECT_API_URL=url,
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_UI_ENABLED="false",
        # No cron-made runs during the test: only the two runs it triggers.
        PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED="false",
        PREFECT_CLI_PROMPT="false",
        COLUMNS="200",
    )
    processes = Processes(logs)
    try:
        port = url.rsplit(":", 1)[1].split("/")[0]
        server = processes.start(
            "server", [PREFECT, "server", "start", "--host", "127.0.0.1", "--port", port], env
        )
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            if server.poll() is not None:
                pytest.fail(
                    f"prefect server exited {server.returncode}:\n{processes.log('server')}"
                )
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(
                    f"prefect server not healthy after {SERVER_START_TIMEOUT:.0f} s:\n"
                    f"{processes.log('server')}"
                )
            time.sleep(0.5)
        yield url, env, processes
    finally:
        processes.stop_all()


# ---------------------------------------------------------------- expected rows


def _expected_db(sources: list[Path], path: Path, staging: Path) -> None:
    """The tables both runs together must produce: the pure pipeline on every input, once."""
    from transforms.load import RunInfo, commit_parts, connect
    from transforms.pipeline import process_batch
    from transforms.sources import discover

    refs, rejects = discover([str(s) for s in sources])
    assert not rejects
    seen = datetime.now(UTC)
    parts = process_batch(refs, staging_dir=staging, run_id="expected", batch_no=1, seen_at=seen)
    con = connect(path)
    try:
        commit_parts(con, parts, RunInfo(run_id="expected", started_at=seen, sources=[]))
    finally:
        con.close()


def _rows(path: Path, sql: str) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


_TABLES = {
    "threads": f"select * exclude ({_VOLATILE}) from threads order by thread_id",
    "comments": f"select * exclude ({_VOLATILE}) from comments order by comment_id",
}


# ---------------------------------------------------------------- the test


@pytest.mark.slow
def test_two_deployment_runs_at_once_on_a_real_server(
    prefect_server: tuple[str, dict[str, str], Processes], corpus_dir: Path, tmp_path: Path
) -> None:
    from filelock import FileLock
    from prefect.client.orchestration import SyncPrefectClient

    url, env, processes = prefect_server

    # Inputs: a folder both runs read (samples + an unreadable file), and one of its own each.
    inputs = tmp_path / "in"
    common, only_a, only_b = inputs / "common", inputs / "a", inputs / "b"
    shutil.copytree(SAMPLES, common)
    (common / "broken.bin").write_bytes(b"\x00\x01\x02" * 100)
    only_a.mkdir()
    only_b.mkdir()
    for name in ("lemire.me.json.html", "luxuryhaven.co.hyatt.html"):
        shutil.copy(corpus_dir / "html" / name, only_a)
    shutil.copy(corpus_dir / "wxr" / "wordpress-importer.valid-wxr-1.1.xml", only_b)
    shutil.copy(corpus_dir / "other" / "isso.generic.json", only_b)
    out = tmp_path / "out"
    out.mkdir()
    db, parquet = out / "threadline.duckdb", out / "parquet"

    # Server side, as in the README: pool, deployments (+ the writer limit), worker.
    _cli(["work-pool", "create", POOL, "--type", "process"], env)
    deployed = _cli(
        ["--no-prompt", "deploy", "--prefect-file", "deployments/prefect.yaml", "--all"], env
    )
    assert "ingest-threads/scheduled" in deployed and "ingest-threads/adhoc" in deployed
    worker_env = {
        **env,
        "THREADLINE_STAGING_DIR": str(out / "staging"),
        "PREFECT_WORKER_QUERY_SECONDS": "2",  # pick the runs up quickly (default 10 s)
    }
    processes.start("worker", [PREFECT, "worker", "start", "--pool", POOL], worker_env)

    # A local writer (as `threadline ingest` on this machine would) holds the file lock until
    # both runs are at their commit: they surely overlap, one waiting for the file lock and the
    # other for the server's writer slot.
    local_writer = FileLock(f"{db}.lock")
    local_writer.acquire()
    runs = {"scheduled": [str(common), str(only_b)], "adhoc": [str(common), str(only_a)]}
    try:
        run_ids = _trigger_at_once(runs, db, parquet, env)
        with SyncPrefectClient(url) as client:
            _wait_for(
                lambda: _all_committing(client, run_ids), "both runs at their commit", processes
            )
            local_writer.release()
            _wait_for(lambda: _all_final(client, run_ids), "both runs finished", processes)
            _check_server_side(client, run_ids, processes)
    finally:
        if local_writer.is_locked:
            local_writer.release()

    _check_tables(db, runs, run_ids, [common, only_a, only_b], str(common), tmp_path)

    # Readers: the snapshot and the Parquet export hold the same comments as the database.
    snapshot = out / "threadline.snapshot.duckdb"
    assert _rows(snapshot, _TABLES["comments"]) == _rows(db, _TABLES["comments"])
    exported = duckdb.sql(
        f"select count(*) from read_parquet('{parquet}/comments/**/*.parquet', "
        "hive_partitioning=true)"
    ).fetchone()
    assert exported == (len(_rows(db, "select 1 from comments")),)
    assert not any((out / "staging").iterdir())  # staged parts removed after each commit


def _trigger_at_once(
    runs: dict[str, list[str]], db: Path, parquet: Path, env: dict[str, str]
) -> dict[str, UUID]:
    """Start ``prefect deployment run`` for every deployment at the same time; the run ids."""

    def start(name: str, sources: list[str]) -> subprocess.Popen[str]:
        params = {"sources": sources, "db_path": str(db), "parquet_dir": str(parquet)}
        args = [PREFECT, "deployment", "run", f"ingest-threads/{name}"]
        for key, value in params.items():
            args += ["--param", f"{key}={json.dumps(value)}"]
        return subprocess.Popen(
            args, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, stdin=subprocess.DEVNULL,
        )  # fmt: skip

    triggers = {name: start(name, sources) for name, sources in runs.items()}
    run_ids = {}
    for name, proc in triggers.items():
        try:
            output, _ = proc.communicate(timeout=CLI_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            pytest.fail(f"`prefect deployment run` {name} still running after {CLI_TIMEOUT} s")
        found = re.search(r"UUID: ([0-9a-f-]{36})", output)
        assert proc.returncode == 0 and found, f"deployment run {name} failed:\n{output}"
        run_ids[name] = UUID(found.group(1))
    return run_ids


def _wait_for(ready: Callable[[], bool], what: str, processes: Processes) -> None:
    deadline = time.monotonic() + RUNS_TIMEOUT
    while not ready():
        if time.monotonic() > deadline:
            pytest.fail(
                f"not {what} after {RUNS_TIMEOUT:.0f} s; worker log:\n{processes.log('worker')}"
            )
        time.sleep(1)


def _commit_tasks(client: Any, run_id: UUID) -> list[Any]:
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    tasks = client.read_task_runs(
        flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[run_id])), limit=50
    )
    return [t for t in tasks if t.name.startswith("commit-and-export")]


def _all_committing(client: Any, run_ids: dict[str, UUID]) -> bool:
    for run_id in run_ids.values():
        state = client.read_flow_run(run_id).state
        if state is not None and state.is_final():
            pytest.fail(f"flow run {run_id} ended ({state.name}) while the writer was held")
        tasks = _commit_tasks(client, run_id)
        if not any(t.state is not None and t.state.is_running() for t in tasks):
            return False
    return True


def _all_final(client: Any, run_ids: dict[str, UUID]) -> bool:
    states = [client.read_flow_run(run_id).state for run_id in run_ids.values()]
    return all(s is not None and s.is_final() for s in states)


def _logs(client: Any, run_id: UUID) -> list[Any]:
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId

    return list(
        client.read_logs(
            log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run_id])), limit=200
        )
    )


_COMMIT_LOGS = (r"writer lock held after", r"read-only snapshot .* refreshed", r" committed: ")


def _logged(logs: list[Any], patterns: tuple[str, ...]) -> bool:
    return all(any(re.search(p, log.message) for log in logs) for p in patterns)


def _logged_at(logs: list[Any], pattern: str) -> datetime:
    times = [log.timestamp for log in logs if re.search(pattern, log.message)]
    assert len(times) == 1, f"{len(times)} log lines match {pattern!r}"
    return times[0]  # type: ignore[no-any-return]


def _check_server_side(client: Any, run_ids: dict[str, UUID], processes: Processes) -> None:
    from prefect.client.schemas.filters import (
        ArtifactFilter,
        ArtifactFilterKey,
        FlowRunFilter,
        FlowRunFilterId,
    )

    flow_runs = {name: client.read_flow_run(run_id) for name, run_id in run_ids.items()}
    failed = {n: r.state.name for n, r in flow_runs.items() if not r.state.is_completed()}
    assert not failed, f"runs not completed: {failed}\nworker log:\n{processes.log('worker')}"

    # Commits one after the other: the later run took the writer after the earlier one's last
    # step inside the lock (the snapshot) was done. (Logs reach the server in batches, possibly
    # after the final state.)
    _wait_for(
        lambda: all(_logged(_logs(client, run_id), _COMMIT_LOGS) for run_id in run_ids.values()),
        "all commit log lines on the server",
        processes,
    )
    held = []
    for run_id in run_ids.values():
        logs = _logs(client, run_id)
        held.append(
            (
                _logged_at(logs, r"writer lock held after"),
                _logged_at(logs, r"read-only snapshot .* refreshed"),
            )
        )
        # Observability: counts in the logs.
        assert any(re.search(r"committed: \d+ threads .* \d+ rejects", log.message) for log in logs)
    (_, first_out), (second_in, _) = sorted(held)
    assert first_out <= second_in, "the two commits overlapped"

    # Names say what was ingested; one run-summary table artifact per run.
    assert flow_runs["adhoc"].name == "ingest common, a"
    assert flow_runs["scheduled"].name == "ingest common, b"
    for flow_run in flow_runs.values():
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["ingest-run-summary"])),
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run.id])),
            limit=10,
        )
        assert [a.type for a in artifacts] == ["table"], flow_run.name

    # The deploy step made the strict writer limit (free again); the schedule queues overlaps.
    writer = client.read_global_concurrency_limit_by_name(WRITER_LIMIT)
    assert (writer.limit, writer.active, writer.active_slots) == (1, True, 0)
    scheduled = client.read_deployment_by_name("ingest-threads/scheduled")
    assert scheduled.concurrency_options.collision_strategy.value == "ENQUEUE"
    assert scheduled.global_concurrency_limit.limit == 1
    assert [(s.schedule.cron, s.schedule.timezone, s.active) for s in scheduled.schedules] == [
        ("15 * * * *", "Europe/Berlin", True)
    ]
    adhoc = client.read_deployment_by_name("ingest-threads/adhoc")
    for deployment in (scheduled, adhoc):
        assert deployment.job_variables["env"]["THREADLINE_COMMIT_LIMIT_STRICT"] == "true"


def _check_tables(
    db: Path,
    runs: dict[str, list[str]],
    run_ids: dict[str, UUID],
    inputs: list[Path],
    common: str,
    tmp_path: Path,
) -> None:
    """The DuckDB file holds exactly the rows of every input read once."""
    expected = tmp_path / "expected.duckdb"
    _expected_db(inputs, expected, tmp_path / "expected-staging")
    for table, sql in _TABLES.items():
        got, want = _rows(db, sql), _rows(expected, sql)
        assert len(got) == len(want), f"{table}: {len(got)} rows, expected {len(want)}"
        assert got == want, f"{table} differs from the pipeline's rows"

    total = len(_rows(db, "select 1 from comments"))
    shared = len(
        _rows(
            db,
            "select 1 from comments as c join threads as t using (thread_id) "
            f"where t.source_uri like '{common}/%'",
        )
    )
    assert total > shared > 0
    rows = _rows(
        db,
        "select r.run_id, r.status, r.sources, r.comments_new, r.comments_unchanged, r.rejects, "
        "  (select sum(l.comments) from load_ledger as l where l.run_id = r.run_id) "
        "from runs as r",
    )
    assert {r[0] for r in rows} == {str(run_id) for run_id in run_ids.values()}
    assert all(r[1] == "completed" for r in rows)
    assert sorted(json.loads(r[2]) for r in rows) == sorted(runs.values())
    # Nothing doubled: each comment was new in exactly one run; the shared folder's comments
    # were new in the first commit and unchanged in the second; each run committed all it read.
    assert sum(r[3] for r in rows) == total
    assert sorted(r[4] for r in rows) == [0, shared]
    assert sum(r[6] for r in rows) == total + shared
    assert [r[5] for r in rows] == [1, 1]  # broken.bin, once per run
