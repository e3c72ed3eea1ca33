"""Table declarations: DDL files (schemas/ddl, applied in name order, idempotent), their pyarrow
mirrors and each table's grain. See schemas/tables.py."""

from schemas.tables import (
    COMMENT_VERSIONS,
    COMMENTS,
    LOAD_LEDGER,
    REJECTS,
    RUNS,
    STAGED_COMMENTS,
    STAGED_REJECTS,
    STAGED_SEEN,
    STAGED_THREADS,
    TABLES,
    THREAD_SOURCES,
    THREADS,
    VIEWS,
    apply_ddl,
    ddl_files,
)

__all__ = [
    "COMMENTS",
    "COMMENT_VERSIONS",
    "LOAD_LEDGER",
    "REJECTS",
    "RUNS",
    "STAGED_COMMENTS",
    "STAGED_REJECTS",
    "STAGED_SEEN",
    "STAGED_THREADS",
    "TABLES",
    "THREADS",
    "THREAD_SOURCES",
    "VIEWS",
    "apply_ddl",
    "ddl_files",
]
