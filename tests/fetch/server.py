"""A real HTTP server on 127.0.0.1 for the fetch tests, with fault injection.

Routes map a path (with its query, if any) to a ``Responder``: a callable that writes the
whole response on the handler. Every request is logged (path, conditional headers, status,
whether a full body was sent), so tests can count downloads. Every responder ends by itself
(bounded bodies, bounded drips), and the server runs in a daemon thread stopped by the fixture.
"""

from __future__ import annotations

import contextlib
import gzip
import socket
import struct
import threading
import time
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Responder = Callable[["Handler"], None]


@dataclass(frozen=True)
class Hit:
    path: str
    host: str
    status: int
    full_body: bool  # a 2xx with its whole body sent
    if_none_match: str | None
    if_modified_since: str | None
    user_agent: str | None
    started: float
    ended: float


@dataclass
class TestServer:
    """Routes, a request log, and helpers to read it."""

    host: str = "127.0.0.1"
    port: int = 0
    routes: dict[str, Responder] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    in_flight: int = 0
    max_in_flight: int = 0

    __test__ = False  # not a pytest test class

    def url(self, path: str, host: str | None = None) -> str:
        return f"http://{host or self.host}:{self.port}{path}"

    def route(self, path: str, responder: Responder) -> str:
        self.routes[path] = responder
        return self.url(path)

    def reset_log(self) -> None:
        with self.lock:
            self.hits.clear()
            self.max_in_flight = 0

    def settle(self, timeout: float = 5.0) -> list[Hit]:
        """The log once no request is in flight (a response reaches the client a moment
        before its handler logs it)."""
        until = time.monotonic() + timeout
        while self.in_flight and time.monotonic() < until:
            time.sleep(0.01)
        with self.lock:
            return list(self.hits)

    def requests(self, path: str | None = None) -> int:
        return len([h for h in self.settle() if path is None or h.path == path])

    def downloads(self, path: str | None = None) -> int:
        """Full 2xx bodies sent (to ``path``, or in all)."""
        return len([h for h in self.settle() if h.full_body and (path is None or h.path == path)])

    def statuses(self, path: str) -> list[int]:
        return [h.status for h in self.settle() if h.path == path]


class Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.0"
    status_sent = 0
    full_body = False

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        state = self.server.state
        started = time.monotonic()
        with state.lock:
            state.in_flight += 1
            state.max_in_flight = max(state.max_in_flight, state.in_flight)
        try:
            responder = state.routes.get(self.path) or state.routes.get(self.path.split("?")[0])
            try:
                if responder is None:
                    send(self, 404, b"not found", "text/plain")
                else:
                    responder(self)
            except (BrokenPipeError, ConnectionResetError, TimeoutError):
                pass  # the client went away (deadline, cap): fine
        finally:
            with state.lock:
                state.in_flight -= 1
                state.hits.append(
                    Hit(
                        self.path, self.headers.get("Host", ""), self.status_sent, self.full_body,
                        self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since"),
                        self.headers.get("User-Agent"), started, time.monotonic(),
                    )
                )  # fmt: skip

    def send_response(self, code: int, message: str | None = None) -> None:
        self.status_sent = code
        super().send_response(code, message)

    def finish(self) -> None:
        with contextlib.suppress(OSError, ValueError):  # reset on purpose, or the client left
            super().finish()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    state: TestServer

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # injected faults and clients leaving early are expected here


@contextmanager
def serve() -> Iterator[TestServer]:
    """Start a server on 127.0.0.1 (a free port) in a daemon thread; stop it on exit."""
    httpd = _Server(("127.0.0.1", 0), Handler)
    state = TestServer(port=httpd.server_address[1])
    httpd.state = state
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


# --- responders ----------------------------------------------------------------------------


def send(handler: Handler, status: int, body: bytes = b"", content_type: str | None = None,
         headers: dict[str, str] | None = None) -> None:  # fmt: skip
    handler.send_response(status)
    if content_type:
        handler.send_header("Content-Type", content_type)
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    if status != 304:
        handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    if status != 304 and body:
        handler.wfile.write(body)
    handler.full_body = 200 <= status < 300 and bool(body)


@dataclass
class Page:
    """A page that can change: serves ETag and Last-Modified, answers conditional GETs with
    304 when the body is unchanged. ``etag=False`` serves neither validator."""

    body: bytes
    content_type: str = "text/html; charset=utf-8"
    etag: bool = True
    version: int = 1
    modified: float = 1_700_000_000.0

    def set(self, body: bytes) -> None:
        if body != self.body:
            self.body = body
            self.version += 1
            self.modified += 3600

    def __call__(self, handler: Handler) -> None:
        tag = f'"v{self.version}-{zlib.crc32(self.body):08x}"'
        last_modified = formatdate(self.modified, usegmt=True)
        if self.etag:
            if handler.headers.get("If-None-Match") == tag or (
                handler.headers.get("If-None-Match") is None
                and handler.headers.get("If-Modified-Since") == last_modified
            ):
                send(handler, 304, headers={"ETag": tag})
                return
            send(handler, 200, self.body, self.content_type,
                 {"ETag": tag, "Last-Modified": last_modified})  # fmt: skip
        else:
            send(handler, 200, self.body, self.content_type)


def status(code: int, body: bytes = b"error", headers: dict[str, str] | None = None) -> Responder:
    return lambda h: send(h, code, body, "text/plain", headers)


def sequence(*responders: Responder) -> Responder:
    """Each request gets the next responder; the last one repeats."""
    queue = list(responders)
    lock = threading.Lock()

    def respond(handler: Handler) -> None:
        with lock:
            current = queue.pop(0) if len(queue) > 1 else queue[0]
        current(handler)

    return respond


def redirect(location: str, code: int = 302) -> Responder:
    return lambda h: send(h, code, b"", "text/plain", {"Location": location})


def reset(handler: Handler) -> None:
    """Close the connection with a TCP RST before answering."""
    handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    handler.connection.close()
    handler.close_connection = True


def drip(body: bytes, interval: float, content_type: str = "text/html") -> Responder:
    """Send the headers, then the body one byte per ``interval`` (bounded by the body)."""

    def respond(handler: Handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.flush()
        for i in range(len(body)):
            handler.wfile.write(body[i : i + 1])
            handler.wfile.flush()
            time.sleep(interval)
        handler.full_body = True

    return respond


def truncated(body: bytes, missing: int = 1000) -> Responder:
    """Declare more bytes than are sent, then close."""

    def respond(handler: Handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", str(len(body) + missing))
        handler.end_headers()
        handler.wfile.write(body)
        handler.wfile.flush()

    return respond


def endless(chunk: bytes = b"x" * 65536, limit: int = 64 * 1024 * 1024) -> Responder:
    """A body without Content-Length that goes on until the client leaves (or ``limit``)."""

    def respond(handler: Handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.end_headers()
        sent = 0
        while sent < limit:
            handler.wfile.write(chunk)
            sent += len(chunk)

    return respond


def gzip_bomb(size: int) -> Responder:
    """A small gzip body that inflates to ``size`` bytes (Content-Encoding: gzip)."""
    payload = gzip.compress(b"<html>" + b"\0" * size, compresslevel=1)

    def respond(handler: Handler) -> None:
        send(handler, 200, payload, "text/html", {"Content-Encoding": "gzip"})

    return respond


def gzipped(body: bytes, content_type: str = "text/html; charset=utf-8") -> Responder:
    payload = gzip.compress(body)
    return lambda h: send(h, 200, payload, content_type, {"Content-Encoding": "gzip"})


def slow(responder: Responder, seconds: float) -> Responder:
    """Wait, then answer (to observe concurrency)."""

    def respond(handler: Handler) -> None:
        time.sleep(seconds)
        responder(handler)

    return respond


def robots(text: str) -> Responder:
    return lambda h: send(h, 200, text.encode(), "text/plain")


def ordered(hits: Sequence[Hit]) -> list[str]:
    return [h.path for h in sorted(hits, key=lambda h: h.started)]
