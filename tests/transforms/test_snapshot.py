"""The read-only snapshot: a whole copy, swapped atomically, readable while the live file is
held by a writer."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from threadline.settings import Settings
from transforms.snapshot import default_snapshot_path, refresh_snapshot


def _make_db(path: Path, rows: int) -> None:
    con = duckdb.connect(str(path))
    con.execute("create or replace table t as select range as i from range(?)", [rows])
    con.close()


def _count(path: Path) -> int:
    con = duckdb.connect(str(path), read_only=True)
    try:
        row = con.execute("select count(*) from t").fetchone()
        assert row is not None
        return int(row[0])
    finally:
        con.close()


def test_default_path_sits_beside_the_database() -> None:
    assert default_snapshot_path(Path("data/threadline.duckdb")) == Path(
        "data/threadline.snapshot.duckdb"
    )
    assert default_snapshot_path(Path("/x/db")) == Path("/x/db.snapshot.duckdb")


def test_settings_choose_the_snapshot(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings(db_path=Path("/d/t.duckdb")).snapshot_file() == Path("/d/t.snapshot.duckdb")
    monkeypatch.setenv("THREADLINE_SNAPSHOT_PATH", "/r/read.duckdb")
    assert Settings().snapshot_file() == Path("/r/read.duckdb")
    monkeypatch.setenv("THREADLINE_SNAPSHOT", "false")
    assert Settings().snapshot_file() is None


def test_snapshot_is_a_full_copy_and_replaces_the_previous(tmp_path: Path) -> None:
    db, snap = tmp_path / "t.duckdb", tmp_path / "read" / "t.snapshot.duckdb"
    _make_db(db, 1000)
    assert refresh_snapshot(db, snap) >= 0
    assert _count(snap) == 1000

    reader = duckdb.connect(str(snap), read_only=True)  # an analyst holding the old copy
    _make_db(db, 2500)
    refresh_snapshot(db, snap)
    assert reader.execute("select count(*) from t").fetchone() == (1000,)  # still the old copy
    reader.close()
    assert _count(snap) == 2500
    assert [p.name for p in snap.parent.iterdir()] == [snap.name]  # no temp files left


def test_snapshot_is_readable_while_the_live_file_is_written(tmp_path: Path) -> None:
    db, snap = tmp_path / "t.duckdb", tmp_path / "t.snapshot.duckdb"
    _make_db(db, 10)
    refresh_snapshot(db, snap)
    writer = duckdb.connect(str(db))
    writer.execute("insert into t select range from range(5)")
    assert _count(snap) == 10  # the snapshot opens although the live file has a writer
    writer.close()


def test_a_leftover_wal_is_checkpointed_into_the_copy(tmp_path: Path) -> None:
    db, snap = tmp_path / "t.duckdb", tmp_path / "t.snapshot.duckdb"
    _make_db(db, 10)
    con = duckdb.connect(str(db))
    con.execute("set checkpoint_threshold = '1GB'")
    con.execute("insert into t select range from range(7)")
    wal = Path(f"{db}.wal")
    # A writer that went away without a checkpoint leaves its WAL beside the file.
    wal_copy = wal.read_bytes() if wal.exists() else None
    db_copy = db.read_bytes()
    con.close()
    db.write_bytes(db_copy)
    if wal_copy is None:
        pytest.skip("duckdb wrote no WAL for this insert")
    wal.write_bytes(wal_copy)
    refresh_snapshot(db, snap)
    assert _count(snap) == 17


def test_missing_database_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        refresh_snapshot(tmp_path / "none.duckdb", tmp_path / "s.duckdb")
