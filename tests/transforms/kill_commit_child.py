"""Child process for test_sigkill: commits one staged part, pausing inside the transaction.

usage: python kill_commit_child.py DB PART_DIR MARKER [pause|nopause]
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from transforms.load import RunInfo, commit_part, connect
from transforms.stage import read_part


def main() -> None:
    db, part_dir, marker, mode = sys.argv[1:5]
    con = connect(db)
    part = read_part(Path(part_dir))
    run = RunInfo(run_id="killed-run", started_at=datetime.now(UTC), sources=["x"])

    def pause() -> None:
        Path(marker).write_text("in transaction, about to commit")
        time.sleep(120)  # the parent SIGKILLs us here

    Path(marker + ".start").write_text("starting")
    commit_part(con, part, run, before_commit=pause if mode == "pause" else None)
    Path(marker + ".done").write_text("committed")


if __name__ == "__main__":
    main()
