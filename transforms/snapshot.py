"""A read-only snapshot of the DuckDB file for analysts, refreshed after each commit.

DuckDB lets one process write a file, and while it writes no other process can open it, not
even read-only. Readers therefore open a copy: after the commit (still inside the writer lock,
with the writer's connection closed) the checkpointed database file is copied to a temporary
name beside the snapshot and moved over it (``os.replace``). A reader opening the snapshot
sees the previous or the new copy, never a partial one; a reader that already has it open keeps
reading the old copy (POSIX keeps a replaced file alive while it is open).
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from pathlib import Path

import duckdb


def default_snapshot_path(db_path: Path) -> Path:
    """``data/threadline.duckdb`` → ``data/threadline.snapshot.duckdb``."""
    return db_path.with_name(f"{db_path.stem}.snapshot{db_path.suffix or '.duckdb'}")


def refresh_snapshot(db_path: Path, snapshot_path: Path) -> float:
    """Replace ``snapshot_path`` with a copy of ``db_path``; the seconds it took.

    The caller must hold the writer lock and have no open connection to ``db_path``: the file is
    copied byte for byte, so it must not change during the copy. A leftover write-ahead log (a
    writer that did not close cleanly) is checkpointed into the file first."""
    started = time.perf_counter()
    if not db_path.exists():
        raise FileNotFoundError(f"no database to snapshot at {db_path}")
    if Path(f"{db_path}.wal").exists():
        con = duckdb.connect(str(db_path))
        try:
            con.execute("checkpoint")
        finally:
            con.close()
    snapshot_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = snapshot_path.with_name(f".{snapshot_path.name}.tmp-{uuid.uuid4().hex[:8]}")
    try:
        shutil.copyfile(db_path, tmp)
        with tmp.open("rb+") as handle:
            os.fsync(handle.fileno())
        tmp.replace(snapshot_path)  # atomic on one file system
    finally:
        tmp.unlink(missing_ok=True)
    return time.perf_counter() - started
