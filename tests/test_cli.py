"""The `threadline` command as a user runs it: a real subprocess, a real DuckDB file."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.conftest import REPO, SAMPLES

THREADLINE = [sys.executable, "-m", "threadline.cli"]


def run_cli(
    args: list[str], cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*THREADLINE, *args], cwd=cwd, env={**os.environ, **(env or {})},
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


@pytest.mark.parametrize("command", [[], ["ingest"], ["query"]])
def test_help_explains_every_command(command: list[str], tmp_path: Path) -> None:
    result = run_cli([*command, "--help"], tmp_path)
    assert result.returncode == 0
    assert "usage: threadline" in result.stdout
    assert len(result.stdout.splitlines()) > 5


@pytest.mark.slow
def test_ingest_then_query(prefect_api: str, tmp_path: Path) -> None:
    env = {"PREFECT_API_URL": prefect_api}
    inputs = tmp_path / "in"
    shutil.copytree(SAMPLES, inputs)
    (inputs / "garbage.bin").write_bytes(bytes(range(256)) * 10)
    result = run_cli(
        ["ingest", str(inputs), "--db", "out/t.duckdb", "--parquet", "out/pq"], tmp_path, env
    )
    assert result.returncode == 0, result.stderr
    summary = dict(line.split("=", 1) for line in result.stdout.splitlines() if "=" in line)
    assert summary["status"] == "completed"
    assert summary["pages_read"] == "4" and summary["rejects"] == "1"
    assert (tmp_path / "out" / "t.duckdb").exists()
    assert list((tmp_path / "out" / "pq" / "comments").glob("site=*/*.parquet"))

    query = run_cli(
        ["query", "select count(*) as n from threads", "--db", "out/t.duckdb"], tmp_path
    )
    assert query.returncode == 0, query.stderr
    assert "3" in query.stdout and "n" in query.stdout

    bad = run_cli(["query", "select * from no_such_table", "--db", "out/t.duckdb"], tmp_path)
    assert bad.returncode == 1 and "query failed" in bad.stderr


@pytest.mark.slow
def test_nothing_readable_exits_2(prefect_api: str, tmp_path: Path) -> None:
    (tmp_path / "junk.bin").write_bytes(b"\x00" * 64)
    result = run_cli(["ingest", str(tmp_path / "junk.bin"), str(tmp_path / "missing"),
                      "--db", str(tmp_path / "t.duckdb"), "--parquet", str(tmp_path / "pq")],
                     tmp_path, {"PREFECT_API_URL": prefect_api})  # fmt: skip
    assert result.returncode == 2, result.stdout + result.stderr
    assert "no input could be read" in result.stderr
    con = duckdb.connect(str(tmp_path / "t.duckdb"), read_only=True)
    assert con.execute("select count(*) from rejects").fetchone() == (2,)


def test_query_without_database(tmp_path: Path) -> None:
    result = run_cli(["query", "select 1", "--db", str(tmp_path / "none.duckdb")], tmp_path)
    assert result.returncode == 1 and "no database" in result.stderr


def test_repo_layout() -> None:
    for folder in ("flows", "transforms", "schemas", "deployments", "tests"):
        assert (REPO / folder).is_dir(), folder


def test_query_reads_the_snapshot_while_a_load_holds_the_live_file(tmp_path: Path) -> None:
    from transforms.snapshot import default_snapshot_path

    db = tmp_path / "t.duckdb"
    con = duckdb.connect(str(db))
    con.execute("create table threads as select 'live' as state")
    con.close()
    snap = duckdb.connect(str(default_snapshot_path(db)))
    snap.execute("create table threads as select 'snapshot' as state")
    snap.close()
    holder = subprocess.Popen(  # another process writing the live file, as a load would
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
         "c.execute('begin'); c.execute('insert into threads values (1)'); "
         "print('held', flush=True); "
         "time.sleep(60)", str(db)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        result = run_cli(["query", "select state from threads", "--db", str(db)], tmp_path)
        assert result.returncode == 0, result.stderr
        assert "snapshot" in result.stdout and "being written" in result.stderr
    finally:
        holder.kill()
        holder.wait()


def test_an_invalid_setting_is_named_and_exits_2(tmp_path: Path) -> None:
    result = run_cli(["ingest", str(SAMPLES)], tmp_path, {"THREADLINE_BATCH_SIZE": "0"})
    assert result.returncode == 2
    assert "invalid setting THREADLINE_BATCH_SIZE='0'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "data").exists()  # nothing started, nothing written
