"""Fixtures of the fetch tests: one HTTP server per module, fast fetch policies."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fetch.server import TestServer, serve
from transforms.fetch import Fetcher, FetchPolicy, HostRegistry

# Fast and strict, so faults show quickly: 1 s deadline, tiny backoffs, no host delay.
FAST = FetchPolicy(
    user_agent="threadline-test/1.0 (+tests)",
    connect_timeout=2.0,
    read_timeout=1.0,
    deadline=1.0,
    max_bytes=1_000_000,
    max_redirects=4,
    retries=2,
    backoff=0.02,
    backoff_max=0.1,
    retry_after_max=2.0,
    host_concurrency=4,
    host_delay=0.0,
    workers=8,
    max_comment_pages=10,
)


@pytest.fixture(scope="module")
def server() -> Iterator[TestServer]:
    with serve() as running:
        yield running


@pytest.fixture()
def fresh(server: TestServer) -> TestServer:
    """The module's server with an empty request log and no routes."""
    server.routes.clear()
    server.reset_log()
    return server


def make_fetcher(policy: FetchPolicy = FAST) -> Fetcher:
    """A fetcher with its own host registry (no robots/gate state shared between tests)."""
    return Fetcher(policy, hosts=HostRegistry())


@pytest.fixture()
def fetcher() -> Iterator[Fetcher]:
    with make_fetcher() as f:
        yield f
