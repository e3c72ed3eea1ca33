"""Stage normalised rows as Parquet parts: the hand-off from parsing to the single commit step.

A part is a folder ``<staging>/<run_id>/part-NNNNN/`` holding threads.parquet, comments.parquet,
rejects.parquet and part.json (counts). It is written under a temporary name and renamed into
place, so a part folder that exists is complete; a crash leaves only a ``.tmp-*`` folder, which
is ignored and cleaned up.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from operator import attrgetter
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from schemas.tables import STAGED_COMMENTS, STAGED_REJECTS, STAGED_THREADS
from transforms.dedup import NormalisedThread
from transforms.records import Reject


@dataclass(frozen=True, slots=True)
class StagedPart:
    """A staged part on disk and what it holds (small: this crosses task boundaries)."""

    part_id: str  # "<run_id>/part-NNNNN"
    path: str
    pages_read: int
    pages_failed: int
    threads: int
    comments: int
    duplicates_collapsed: int
    rejects: int


def _columns(rows: Iterable[object], schema: pa.Schema) -> pa.Table:
    names = schema.names
    values = list(zip(*map(attrgetter(*names), rows), strict=True)) or [()] * len(names)
    return pa.Table.from_pydict(dict(zip(names, map(list, values), strict=True)), schema=schema)


def threads_table(threads: list[NormalisedThread]) -> pa.Table:
    """Staged threads, one row per thread."""
    return _columns((t.thread for t in threads), STAGED_THREADS)


def comments_table(threads: list[NormalisedThread]) -> pa.Table:
    """Staged comments, one row per unique comment, threads in order, comments in page order."""
    return _columns((c for t in threads for c in t.comments), STAGED_COMMENTS)


def rejects_table(rejects: Sequence[tuple[Reject, datetime]]) -> pa.Table:
    """Staged rejects, one row per rejected input (paired with the time it was rejected)."""
    columns: dict[str, list[object]] = {
        "source_uri": [],
        "stage": [],
        "error": [],
        "rejected_at": [],
    }
    for reject, at in rejects:
        columns["source_uri"].append(reject.source_uri)
        columns["stage"].append(reject.stage)
        columns["error"].append(reject.error)
        columns["rejected_at"].append(at)
    return pa.Table.from_pydict(columns, schema=STAGED_REJECTS)


def write_part(
    staging_dir: Path,
    run_id: str,
    batch_no: int,
    threads: list[NormalisedThread],
    rejects: Sequence[tuple[Reject, datetime]],
    *,
    pages_read: int,
) -> StagedPart:
    """Write one part atomically (temp folder, then rename) and describe it."""
    run_dir = staging_dir / run_id
    run_dir.mkdir(parents=True, exist_ok=True)
    name = f"part-{batch_no:05d}"
    final = run_dir / name
    tmp = run_dir / f".tmp-{name}-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    try:
        pq.write_table(threads_table(threads), tmp / "threads.parquet", compression="zstd")
        pq.write_table(comments_table(threads), tmp / "comments.parquet", compression="zstd")
        pq.write_table(rejects_table(rejects), tmp / "rejects.parquet", compression="zstd")
        part = StagedPart(
            part_id=f"{run_id}/{name}",
            path=str(final),
            pages_read=pages_read,
            pages_failed=len({r.source_uri for r, _ in rejects}),
            threads=len(threads),
            comments=sum(len(t.comments) for t in threads),
            duplicates_collapsed=sum(t.duplicates_collapsed for t in threads),
            rejects=len(rejects),
        )
        (tmp / "part.json").write_text(json.dumps(asdict(part)), encoding="utf-8")
        with (tmp / "part.json").open("rb") as fh:
            os.fsync(fh.fileno())
        if final.exists():  # a retried task re-staging the same batch: replace it whole
            shutil.rmtree(final)
        tmp.rename(final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return part


def read_part(path: Path) -> StagedPart:
    """The description of a staged part folder."""
    return StagedPart(**json.loads((path / "part.json").read_text(encoding="utf-8")))


def remove_run_staging(staging_dir: Path, run_id: str) -> None:
    """Delete a run's staged parts (after they are committed) and any temp leftovers."""
    shutil.rmtree(staging_dir / run_id, ignore_errors=True)
