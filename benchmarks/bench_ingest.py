"""threadline benchmarks: throughput, memory and incremental cost, beside the alternatives.

Prints tables (and writes them as JSON with --json) for a synthetic corpus of N pages made by
benchmarks/generate.py (same seed → same pages):

1. end to end: `threadline ingest` from local files (parse, dedup, stage, commit, export,
   snapshot) in a fresh process on a fresh data folder — wall time, comments/s, peak RSS of the
   whole process tree (flow process, parse workers, Prefect's ephemeral server); then the same
   command again on unchanged input;
2. stages: the same pipeline without Prefect, stage by stage (discover, parse+dedup+stage in a
   process pool, commit, export); Prefect's share = 1 − pipeline time / end-to-end time;
3. fetch: `threadline ingest --url-list` against a local HTTP server serving the pages, with
   per-host politeness off and on;
4. side by side on the same HTML pages, one process: threadline's parser (full comment trees),
   trafilatura.extract(include_comments=True) (flat comment text only) and a plain
   BeautifulSoup(html.parser) extraction of the comment tree; and, as a floor, Lexbor's
   parse of each page into a DOM with no extraction at all (what any extractor on that parser
   pays before it reads a comment).

    uv run --group bench python benchmarks/bench_ingest.py --pages 1000
    uv run --group bench python benchmarks/bench_ingest.py --pages 10000 --skip-alternatives
"""

from __future__ import annotations

import argparse
import functools
import gc
import http.server
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta
from multiprocessing import get_context
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

from generate import generate  # noqa: E402 - the generator is a sibling script

# ---------------------------------------------------------------- process-tree memory sampling


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:  # noqa: PTH123 - /proc, not a path API
            return [int(p) for p in fh.read().split()]
    except OSError:
        return []


def _rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:  # noqa: PTH123
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_kib(root: int) -> int:
    """Resident memory of a process and all its descendants."""
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += _rss_kib(pid)
        stack.extend(_children(pid))
    return total


def run_measured(cmd: list[str], env: dict[str, str], cwd: Path) -> dict[str, Any]:
    """Run a command; its wall time, exit code, stdout and peak RSS of its process tree, and
    (from Prefect's log lines) the seconds before its flow run began and after it ended."""
    started_at = datetime.now()  # local time, as Prefect's log lines show it
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)  # fmt: skip
    peak = 0
    out: list[str] = []
    reader = threading.Thread(target=lambda: out.append(proc.stdout.read() if proc.stdout else ""))
    err: list[str] = []
    err_reader = threading.Thread(
        target=lambda: err.append(proc.stderr.read() if proc.stderr else "")
    )
    reader.start()
    err_reader.start()
    while proc.poll() is None:
        peak = max(peak, tree_rss_kib(proc.pid))
        time.sleep(0.05)
    reader.join()
    err_reader.join()
    wall = time.perf_counter() - started
    ended_at = datetime.now()
    summary = dict(line.split("=", 1) for line in out[0].splitlines() if "=" in line)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}:\n{err[0][-3000:]}")
    marks = {
        m.group(2): _at(started_at, m.group(1)) for m in _FLOW_MARK.finditer(err[0])
    }  # the last "Finished in state" line is the flow run's
    return {
        "wall_s": wall, "peak_rss_mb": peak / 1024, "summary": summary,
        "before_flow_s": (marks["Beginning flow run"] - started_at).total_seconds(),
        "after_flow_s": (ended_at - marks["Finished in state"]).total_seconds(),
    }  # fmt: skip


_FLOW_MARK = re.compile(
    r"^(\d\d:\d\d:\d\d\.\d+) \| \w+\s*\| Flow run '[^']*' - (Beginning flow run|Finished in state)",
    re.MULTILINE,
)


def _at(day: datetime, clock: str) -> datetime:
    """A log line's time of day on the run's day (or the next, past midnight)."""
    at = datetime.combine(day.date(), datetime.strptime(clock, "%H:%M:%S.%f").time())
    return at if at >= day - timedelta(seconds=1) else at + timedelta(days=1)


# ---------------------------------------------------------------------------- end to end


def threadline_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "threadline.cli", *args]


def bench_end_to_end(
    pages_dir: Path, work: Path, comments: int, env: dict[str, str], reruns: int = 1
) -> list[dict[str, Any]]:
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    args = ["ingest", str(pages_dir), "--db", str(work / "t.duckdb"), "--parquet", str(work / "pq")]
    first = run_measured(threadline_cmd(*args), env, work)
    agains = [run_measured(threadline_cmd(*args), env, work) for _ in range(reruns)]
    rows = []
    runs = [("first run", first)] + [
        (f"re-run {n}, unchanged input" if reruns > 1 else "re-run, unchanged input", r)
        for n, r in enumerate(agains, start=1)
    ]
    for label, r in runs:
        s = r["summary"]
        rows.append({
            "run": label, "wall_s": round(r["wall_s"], 2),
            "comments_per_s": round(comments / r["wall_s"]),
            "peak_rss_mb": round(r["peak_rss_mb"]),
            "comments_new": int(s.get("comments_new", 0)),
            "comments_unchanged": int(s.get("comments_unchanged", 0)),
            "rejects": int(s.get("rejects", 0)),
            "prefect_start_s": round(r["before_flow_s"], 1),
            "prefect_exit_s": round(r["after_flow_s"], 1),
        })  # fmt: skip
    for row, again in zip(rows[1:], agains, strict=True):
        row["share_of_first_run"] = f"{100 * again['wall_s'] / first['wall_s']:.1f}%"
    return rows


# -------------------------------------------------------------------------------- stages


def bench_stages(
    pages_dir: Path, work: Path, workers: int, batch_size: int
) -> list[dict[str, Any]]:
    """The pipeline without Prefect, timed stage by stage: a first run, then a re-run of the
    unchanged input (as the flow does it: unchanged files in one batch that only stages them
    as seen, their threads touched, only changed Parquet partitions rewritten)."""
    from transforms.export import export_changed, export_parquet
    from transforms.load import RunInfo, file_fingerprints
    from transforms.pipeline import process_batch
    from transforms.sources import discover, split_unchanged

    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    db = work / "t.duckdb"
    seen = datetime.now(UTC)
    times: dict[str, float] = {}
    t = time.perf_counter()
    refs, _ = discover([str(pages_dir)])
    times["discover"] = time.perf_counter() - t

    t = time.perf_counter()
    batches = [refs[i : i + batch_size] for i in range(0, len(refs), batch_size)]
    work_fn = functools.partial(_stage_batch, staging=work / "staging", seen=seen)
    from transforms.pipeline import prepare_worker

    with ProcessPoolExecutor(
        workers, mp_context=get_context("spawn"), initializer=prepare_worker
    ) as pool:
        parts = [p for ps in pool.map(work_fn, enumerate(batches, start=1)) for p in ps]
    times["parse + dedup + stage"] = time.perf_counter() - t

    _load(db, parts, RunInfo("bench", seen, [str(pages_dir)]), export_parquet, work / "pq", times)

    again: dict[str, float] = {}
    seen = datetime.now(UTC)
    t = time.perf_counter()
    refs, _ = discover([str(pages_dir)])
    again["discover"] = time.perf_counter() - t
    t = time.perf_counter()
    known = file_fingerprints(db)
    unchanged, to_parse = split_unchanged(refs, known)
    assert not to_parse, f"{len(to_parse)} inputs changed between the runs"
    touched = process_batch(unchanged, staging_dir=work / "staging", run_id="bench-again",
                            batch_no=1, seen_at=seen, known=known)  # fmt: skip
    again["parse + dedup + stage"] = time.perf_counter() - t
    _load(db, touched, RunInfo("bench-again", seen, []), export_changed, work / "pq", again)

    total, total_again = sum(times.values()), sum(again.values())
    comments = _comments_in(db)  # unique comments stored (the first run loaded them all)
    rows = [
        {"stage": k, "seconds": round(v, 2), "share": f"{100 * v / total:.0f}%",
         "rerun_seconds": round(again[k], 2)}
        for k, v in times.items()
    ]  # fmt: skip
    rows.append({"stage": "pipeline total", "seconds": round(total, 2), "share": "100%",
                 "rerun_seconds": round(total_again, 2),
                 "comments_per_s": round(comments / total),
                 "rerun_share": f"{100 * total_again / total:.1f}%"})  # fmt: skip
    return rows


def _load(
    db: Path, parts: list[Any], run: Any, export: Any, parquet: Path, times: dict[str, float]
) -> None:
    """Commit, export (with ``export``) and snapshot, each timed into ``times``."""
    from transforms.load import commit_parts, connect
    from transforms.snapshot import default_snapshot_path, refresh_snapshot

    t = time.perf_counter()
    con = connect(db)
    commit_parts(con, parts, run)
    times["commit"] = time.perf_counter() - t
    t = time.perf_counter()
    export(con, parquet)
    con.close()
    times["export"] = time.perf_counter() - t
    t = time.perf_counter()
    refresh_snapshot(db, default_snapshot_path(db))
    times["snapshot"] = time.perf_counter() - t


def _comments_in(db: Path) -> int:
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        row = con.execute("select count(*) from comments").fetchone()
    return int(row[0]) if row else 0


def _stage_batch(numbered: tuple[int, list[Any]], staging: Path, seen: datetime) -> list[Any]:
    from transforms.pipeline import process_batch

    n, refs = numbered
    return process_batch(refs, staging_dir=staging, run_id="bench", batch_no=n, seen_at=seen)


# --------------------------------------------------------------------------------- fetch


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def bench_fetch(pages_dir: Path, work: Path, limit: int) -> list[dict[str, Any]]:
    """Pages/s of the fetch path (fetch, store raw, follow comment pages) in this process,
    against a local HTTP server: Prefect's start-up would drown the numbers of a CLI run."""
    from transforms.acquire import fetch_threads
    from transforms.fetch import Fetcher, FetchPolicy
    from transforms.rawstore import RawStore

    html_pages = sorted(p.name for p in pages_dir.glob("*.html"))[:limit]
    handler = functools.partial(_Quiet, directory=str(pages_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    urls = [f"http://127.0.0.1:{server.server_address[1]}/{name}" for name in html_pages]
    rows = []
    try:
        for label, concurrency, delay in (
            ("politeness off (8 per host, no delay)", 8, 0.0),
            ("politeness on (2 per host, 0.05 s apart)", 2, 0.05),
        ):
            raw = work / f"raw-{concurrency}"
            shutil.rmtree(raw, ignore_errors=True)
            policy = FetchPolicy(host_concurrency=concurrency, host_delay=delay,
                                 respect_robots=False, workers=16)  # fmt: skip
            start = time.perf_counter()
            with Fetcher(policy) as fetcher:
                fetched = fetch_threads(urls, fetcher, RawStore(raw), "bench")
            wall = time.perf_counter() - start
            ok = sum(1 for f in fetched.values() if f.reject is None)
            rows.append({"fetch": label, "pages": ok, "wall_s": round(wall, 2),
                         "pages_per_s": round(ok / wall, 1)})  # fmt: skip
    finally:
        server.shutdown()
    return rows


# -------------------------------------------------------------------------- alternatives


def bs4_comment_tree(html: str) -> list[tuple[int, str | None, str]]:
    """The comment tree of a WordPress page with plain BeautifulSoup(html.parser):
    (depth, author, text) in page order."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    out = []
    for li in soup.select("li.comment"):
        depth = sum(
            1
            for parent in li.parents
            if parent.name in ("ol", "ul") and "children" in (parent.get("class") or [])
        )
        author = li.select_one(".comment-author .fn")
        body = li.select_one(".comment-content")
        out.append((depth, author.get_text(strip=True) if author else None,
                    body.get_text("\n\n", strip=True) if body else ""))  # fmt: skip
    return out


REPEATS = 3


def bench_alternatives(pages_dir: Path, sample: int) -> list[dict[str, Any]]:
    from transforms.parse import parse_page
    from transforms.records import RawPage

    files = sorted(pages_dir.glob("*.html"))[:sample]
    contents = [f.read_bytes() for f in files]
    texts = [c.decode("utf-8") for c in contents]
    rows = []

    def timed(label: str, fn: Any, items: list[Any]) -> None:
        # Warmed up (imports, compiled patterns, caches), then the fastest of three passes:
        # this machine's speed varies by 10-20% from minute to minute.
        for item in items[:10]:
            fn(item)
        best = float("inf")
        for _ in range(REPEATS):
            gc.collect()
            start = time.process_time()
            comments = sum(fn(item) for item in items)
            best = min(best, time.process_time() - start)
        seconds = best
        rows.append({
            "extractor": label, "pages": len(items), "cpu_s": round(seconds, 2),
            "pages_per_s": round(len(items) / seconds, 1), "comments": comments,
        })  # fmt: skip

    def threadline_comments(content: bytes) -> int:
        return sum(len(t.comments) for t in parse_page(RawPage(source_uri="b", content=content)))

    timed("threadline (full trees)", threadline_comments, contents)
    timed("BeautifulSoup(html.parser) tree", lambda t: len(bs4_comment_tree(t)), texts)
    try:
        import trafilatura
    except ImportError:
        rows.append(
            {
                "extractor": "trafilatura",
                "pages": 0,
                "note": "not installed (uv sync --group bench)",
            }
        )
    else:
        timed(
            "trafilatura.extract(include_comments=True) (flat text)",
            lambda t: 1 if trafilatura.extract(t, include_comments=True) else 0, texts,
        )  # fmt: skip
    from selectolax.lexbor import LexborHTMLParser

    def dom_only(text: str) -> int:
        LexborHTMLParser(text)
        return 0

    # The floor: the DOM alone, before any extractor on this parser reads a comment.
    timed("floor: Lexbor DOM parse only, no extraction", dom_only, texts)
    base = rows[0]["pages_per_s"]
    trafilatura = next(
        (
            r["pages_per_s"]
            for r in rows
            if r["extractor"].startswith("trafilatura") and r.get("pages_per_s")
        ),
        None,
    )
    for row in rows:
        if row.get("pages_per_s"):
            row["threadline_speedup"] = f"{base / row['pages_per_s']:.2g}x"
            if trafilatura:
                # the target: threadline at 10x trafilatura's pages/s
                row["x_trafilatura"] = f"{row['pages_per_s'] / trafilatura:.1f}x"
    return rows


# ---------------------------------------------------------------------------------- main


def print_table(title: str, rows: list[dict[str, Any]]) -> None:
    columns = list(dict.fromkeys(k for row in rows for k in row))
    widths = {c: max(len(c), *(len(str(row.get(c, ""))) for row in rows)) for c in columns}
    print(f"\n## {title}\n")
    print("| " + " | ".join(c.ljust(widths[c]) for c in columns) + " |")
    print("|" + "|".join("-" * (widths[c] + 2) for c in columns) + "|")
    for row in rows:
        print("| " + " | ".join(str(row.get(c, "")).ljust(widths[c]) for c in columns) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--work", type=Path, default=REPO / "data" / "bench")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--batch-size", type=int, default=200)
    parser.add_argument("--fetch-pages", type=int, default=300)
    parser.add_argument("--sample", type=int, default=200, help="pages for the side-by-side")
    parser.add_argument("--skip-alternatives", action="store_true")
    parser.add_argument("--skip-fetch", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument(
        "--prefect-api", help="run the flows against this Prefect server (default: ephemeral API)"
    )
    parser.add_argument("--only-end-to-end", action="store_true")
    parser.add_argument(
        "--reruns", type=int, default=1, help="re-runs of the unchanged input after the first run"
    )
    args = parser.parse_args()

    corpus = args.work / f"corpus-{args.pages}-{args.seed}"
    if not (corpus / "manifest.json").exists():
        generate(corpus, args.pages, args.seed, 0.3)
    manifest = json.loads((corpus / "manifest.json").read_text())
    comments = int(manifest["comments_unique"])
    pages_dir = corpus / "pages"
    env = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "THREADLINE_WORKERS": str(args.workers), "THREADLINE_BATCH_SIZE": str(args.batch_size),
           "THREADLINE_STAGING_DIR": str(args.work / "staging")}  # fmt: skip
    if args.prefect_api:
        env["PREFECT_API_URL"] = args.prefect_api

    results: dict[str, Any] = {
        "machine": (
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        ),
        "corpus": (
            f"{args.pages} pages, {manifest['comments_shown']} comments shown, "
            f"{comments} unique (seed {args.seed})"
        ),
    }  # fmt: skip
    print(f"# threadline benchmark\n\n{results['machine']}\n\n{results['corpus']}")
    results["end_to_end"] = bench_end_to_end(
        pages_dir, args.work / "e2e", comments, env, args.reruns
    )
    api = f"Prefect server {args.prefect_api}" if args.prefect_api else "ephemeral Prefect API"
    print_table(f"End to end: threadline ingest (local files, {api})", results["end_to_end"])
    if args.only_end_to_end:
        return
    results["stages"] = bench_stages(pages_dir, args.work / "stages", args.workers, args.batch_size)
    print_table("Stages (same pipeline, no Prefect)", results["stages"])
    pipeline_s = results["stages"][-1]["seconds"]
    e2e_s = results["end_to_end"][0]["wall_s"]
    results["prefect_share"] = f"{100 * max(0.0, 1 - pipeline_s / e2e_s):.1f}%"
    first = results["end_to_end"][0]
    fixed = first["prefect_start_s"] + first["prefect_exit_s"]
    results["prefect_fixed_share"] = f"{100 * fixed / e2e_s:.1f}%"
    print(
        "\nPrefect orchestration (incl. ephemeral API start-up): "
        f"{results['prefect_share']} of the first run against the bare pipeline (separate "
        f"runs: this machine's drift is in it); its start and exit in the same run: {fixed:.1f} s "
        f"({results['prefect_fixed_share']})"
    )
    if not args.skip_fetch:
        results["fetch"] = bench_fetch(pages_dir, args.work / "fetch", args.fetch_pages)
        print_table("Fetch path (local HTTP server, one host)", results["fetch"])
    if not args.skip_alternatives:
        results["alternatives"] = bench_alternatives(pages_dir, args.sample)
        print_table(
            f"Side by side on {args.sample} HTML pages (one core, CPU time, best of {REPEATS})",
            results["alternatives"],
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
