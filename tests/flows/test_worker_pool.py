"""The run's parse-process pool: one per run however many task threads ask for it at once."""

from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

from flows.ingest import release_worker_pool, worker_pool


def test_concurrent_callers_share_one_pool_and_release_stops_its_processes() -> None:
    before = {p.pid for p in multiprocessing.active_children()}
    callers = 8
    barrier = threading.Barrier(callers)

    def ask() -> ProcessPoolExecutor | None:
        barrier.wait()  # every thread asks at the same moment, as the batches' tasks do
        return worker_pool(2)

    try:
        with ThreadPoolExecutor(callers) as threads:
            pools = list(threads.map(lambda _: ask(), range(callers)))
        assert len({id(p) for p in pools}) == 1
        pool = pools[0]
        assert pool is not None
        assert len(set(pool.map(_pid, range(20)))) <= 2
        spawned = {p.pid for p in multiprocessing.active_children()} - before
        assert len(spawned) == 2, f"{len(spawned)} parse processes started for a pool of 2"
    finally:
        release_worker_pool()
    assert not {p.pid for p in multiprocessing.active_children()} - before


def test_one_worker_means_no_pool() -> None:
    assert worker_pool(1) is None


def _pid(_: int) -> int:
    return os.getpid()
