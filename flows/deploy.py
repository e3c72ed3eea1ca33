"""Deploy-time steps of ``deployments/prefect.yaml``, run by ``prefect deploy`` on the machine
that deploys (never by flow runs).

- ``ensure_writer_limit``: the strict global concurrency limit (``settings.commit_limit_name``,
  one slot) that serialises DuckDB commits of all flow runs on the server. Idempotent: created
  when missing, corrected when its limit differs or it was disabled, left alone otherwise.
- ``locate_checkout``: the checkout the process worker runs the flow from (the pull step
  ``set_working_directory`` changes into it, so relative ``data/...`` paths land there).

``python -m flows.deploy`` ensures the limit on the server of ``PREFECT_API_URL`` without
deploying (for servers whose deployments are created some other way).
"""

from __future__ import annotations

import sys
from pathlib import Path

from prefect.client.orchestration import get_client
from prefect.client.schemas.actions import (
    GlobalConcurrencyLimitCreate,
    GlobalConcurrencyLimitUpdate,
)
from prefect.exceptions import ObjectAlreadyExists, ObjectNotFound

from threadline.settings import Settings

WRITER_SLOTS = 1  # DuckDB allows one writing process per file

CHECKOUT = Path(__file__).resolve().parent.parent


def ensure_writer_limit(name: str | None = None, limit: int = WRITER_SLOTS) -> dict[str, str]:
    """The writer limit as it now is on the server: name, limit and what was done
    (``created`` / ``updated`` / ``unchanged``)."""
    name = name or Settings().commit_limit_name
    with get_client(sync_client=True) as client:
        try:
            current = client.read_global_concurrency_limit_by_name(name)
        except ObjectNotFound:
            try:
                client.create_global_concurrency_limit(
                    GlobalConcurrencyLimitCreate(name=name, limit=limit, active=True)
                )
                action = "created"
            except ObjectAlreadyExists:  # a concurrent deploy created it first
                current = client.read_global_concurrency_limit_by_name(name)
            else:
                return {"name": name, "limit": str(limit), "action": action}
        if current.limit == limit and current.active and not current.slot_decay_per_second:
            return {"name": name, "limit": str(limit), "action": "unchanged"}
        client.update_global_concurrency_limit(
            name,
            GlobalConcurrencyLimitUpdate(limit=limit, active=True, slot_decay_per_second=0.0),
        )
        return {"name": name, "limit": str(limit), "action": "updated"}


def locate_checkout() -> dict[str, str]:
    """The absolute directory of this checkout, as ``{"directory": ...}``."""
    return {"directory": str(CHECKOUT)}


def main() -> int:
    result = ensure_writer_limit()
    print(f"global concurrency limit {result['name']!r}: limit {result['limit']}, "
          f"{result['action']}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
