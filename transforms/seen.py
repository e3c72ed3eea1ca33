"""Sources staged beside a part: those fetched again unchanged, and files read whole that
gave no thread.

A thread whose comment pages are byte-identical to its last committed read is not parsed
again; its source is staged in ``<run>/part-NNNNN.seen.parquet`` (one row per source, with the
run's seen time), written under a temp name and renamed BEFORE the part folder itself, so a
part that exists has its seen file. The commit step reads it in the part's transaction and
moves ``last_seen_at`` of the threads read from the unchanged sources, and retires what the
others gave before (see ``transforms.load``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from schemas.tables import STAGED_SEEN


def seen_path(part_path: Path) -> Path:
    """The seen file of a part folder (it may not exist: nothing was unchanged)."""
    return part_path.with_name(part_path.name + ".seen.parquet")


def write_seen(
    staging_dir: Path, run_id: str, part_no: int, sources: Sequence[str], seen_at: datetime,
    gave_nothing: Sequence[str] = (),
) -> Path:  # fmt: skip
    """Stage for part ``part_no`` the sources of unchanged threads, and the files read whole
    that gave no thread (``gave_nothing``), under a temp name, then renamed."""
    path = seen_path(staging_dir / run_id / f"part-{part_no:05d}")
    path.parent.mkdir(parents=True, exist_ok=True)
    count = len(sources) + len(gave_nothing)
    table = pa.Table.from_pydict(
        {
            "source_uri": [*sources, *gave_nothing],
            "seen_at": [seen_at] * count,
            "gave_nothing": [False] * len(sources) + [True] * len(gave_nothing),
        },
        schema=STAGED_SEEN,
    )
    tmp = path.with_name(f".tmp-{path.name}")
    pq.write_table(table, tmp)
    tmp.replace(path)
    return path
