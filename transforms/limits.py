"""Limits and constants, in one place so they are easy to find and to change."""

from __future__ import annotations

MAX_PAGE_BYTES = 20_000_000  # refuse larger pages (also after decompression)
MAX_TEXT_FILE_BYTES = 20_000_000  # a plain-text rendering larger than this is not a thread page
PAGES_PER_BATCH = 200  # pages parsed, deduplicated and staged per task: few tasks, bounded memory
MAX_COMMENT_DEPTH = 100_000  # sanity bound: deeper trees are rejected as malformed input
SNIFF_BYTES = 4096  # bytes read to detect a file's format
PARSER_VERSION = "0.1.0"  # bump when any parser's output changes; recorded on every thread row

# Fetching over HTTP (defaults of the THREADLINE_FETCH_* / THREADLINE_HOST_* settings).
FETCH_CONNECT_TIMEOUT = 10.0  # seconds to open a connection
FETCH_READ_TIMEOUT = 30.0  # seconds a socket read may stall
FETCH_DEADLINE = 120.0  # wall-clock seconds for one response, headers to last byte (slow drip)
FETCH_MAX_REDIRECTS = 10  # redirect hops followed per page
FETCH_RETRIES = 3  # extra attempts on connection errors, timeouts, 429 and 5xx
FETCH_BACKOFF = 1.0  # first backoff delay; doubles per attempt, full jitter
FETCH_BACKOFF_MAX = 60.0  # longest backoff delay
RETRY_AFTER_MAX = 120.0  # longest Retry-After honoured; a longer one gives up on the page
HOST_CONCURRENCY = 2  # requests in flight per host
HOST_DELAY = 1.0  # seconds between request starts to one host
FETCH_WORKERS = 8  # fetch threads per batch (parallel across hosts)
MAX_COMMENT_PAGES = 50  # comment pages (/comment-page-N/, ?cpage=N) followed per thread
MAX_ROBOTS_BYTES = 512_000  # robots.txt read up to this size (RFC 9309: at least 500 KiB)
ROBOTS_TTL = 3600.0  # seconds a host's robots.txt is cached in one process
MAX_SITEMAPS = 1000  # sitemap files read per run (sitemap index recursion bound)
MAX_SITEMAP_DEPTH = 4  # sitemap index → sitemap nesting followed
