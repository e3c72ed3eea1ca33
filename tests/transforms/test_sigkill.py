"""SIGKILL during a commit leaves the database with the whole batch or none of it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from transforms.dedup import normalise_thread
from transforms.load import RunInfo, commit_part, connect
from transforms.records import ParsedComment, ParsedThread
from transforms.stage import StagedPart, write_part

CHILD = Path(__file__).with_name("kill_commit_child.py")
SEEN = datetime(2026, 5, 1, tzinfo=UTC)


def big_part(
    tmp: Path, run_id: str, threads: int, per_thread: int, batch_no: int = 1
) -> StagedPart:
    rows = []
    for t in range(threads):
        comments = [ParsedComment(text=f"comment {i} of thread {t}", author=f"a{i % 7}",
                                  native_id=str(i), parent=(i - 1) // 2 if i else None,
                                  depth=0) for i in range(per_thread)]  # fmt: skip
        parsed = ParsedThread(parser="test", url=f"https://site.example/{run_id}/{t}",
                              comments=tuple(comments))  # fmt: skip
        rows.append(normalise_thread(parsed, source_uri=f"/in/{t}.html", seen_at=SEEN))
    return write_part(tmp / "staging", run_id, batch_no, rows, [], pages_read=threads)


def counts(db: Path) -> tuple[int, int, int]:
    con = connect(db)
    try:
        row = con.execute(
            "select (select count(*) from threads), (select count(*) from comments), "
            "(select count(*) from load_ledger)"
        ).fetchone()
        assert row is not None
        return (int(row[0]), int(row[1]), int(row[2]))
    finally:
        con.close()


def spawn(db: Path, part: StagedPart, marker: Path, mode: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, str(CHILD), str(db), part.path, str(marker), mode],
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )


def wait_for(path: Path, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert proc.poll() is None, f"child exited early with {proc.returncode}"
        assert time.monotonic() < deadline, f"child never wrote {path}"
        time.sleep(0.02)


@pytest.mark.slow
def test_sigkill_inside_transaction_loses_the_whole_batch_only(tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    con = connect(db)
    earlier = big_part(tmp_path, "earlier", 3, 10)
    commit_part(con, earlier, RunInfo(run_id="earlier", started_at=SEEN, sources=[]))
    con.close()
    assert counts(db) == (3, 30, 1)

    part = big_part(tmp_path, "victim", 50, 40)
    marker = tmp_path / "marker"
    proc = spawn(db, part, marker, "pause")
    wait_for(marker, proc)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    assert counts(db) == (3, 30, 1), "a killed commit must leave nothing of its batch"

    con = connect(db)  # recovery: the same staged part commits whole, then is a no-op
    run = RunInfo(run_id="victim", started_at=SEEN, sources=[])
    assert commit_part(con, part, run).parts_committed == 1
    assert commit_part(con, part, run).parts_skipped == 1
    con.close()
    assert counts(db) == (53, 30 + 50 * 40, 2)


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.05, 0.2, 0.5])
def test_sigkill_at_any_moment_is_all_or_nothing(tmp_path: Path, delay: float) -> None:
    db = tmp_path / "t.duckdb"
    part = big_part(tmp_path, "victim", 200, 200)
    marker = tmp_path / "marker"
    proc = spawn(db, part, marker, "nopause")
    wait_for(Path(str(marker) + ".start"), proc)
    time.sleep(delay)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    threads, comments, ledger = counts(db)
    assert (threads, comments, ledger) in ((0, 0, 0), (200, 40_000, 1))
