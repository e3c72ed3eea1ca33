from __future__ import annotations

import duckdb
import pytest

from schemas import TABLES, VIEWS, apply_ddl, ddl_files


@pytest.fixture()
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    apply_ddl(con)
    return con


@pytest.mark.parametrize("table", sorted(TABLES))
def test_ddl_and_pyarrow_schema_agree(con: duckdb.DuckDBPyConnection, table: str) -> None:
    declared = TABLES[table]
    actual = con.execute(f"select * from {table} limit 0").arrow().schema
    assert actual.names == declared.names
    for field in declared:
        assert actual.field(field.name).type == field.type, field.name
    not_null = {
        row[0]
        for row in con.execute(
            "select column_name from duckdb_columns() where table_name = ? and not is_nullable",
            [table],
        ).fetchall()
    }
    assert not_null == {f.name for f in declared if not f.nullable}


def test_ddl_is_idempotent_and_ordered(con: duckdb.DuckDBPyConnection) -> None:
    apply_ddl(con)  # second application changes nothing and raises nothing
    names = [name for name, _ in ddl_files()]
    assert names == sorted(names)
    tables = {r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()}
    views = {
        r[0]
        for r in con.execute("select view_name from duckdb_views() where not internal").fetchall()
    }
    assert set(TABLES) <= tables
    assert set(VIEWS) <= views


def test_contract_columns_present() -> None:
    """Column names analysts depend on (issue #2): never renamed."""
    contract = {
        "threads": "thread_id site url source_uri title published_at article_text "
        "comment_count_declared parser parser_version first_seen_at last_seen_at",
        "comments": "comment_id thread_id parent_id depth position author author_url posted_at "
        "text kind status native_id duplicates first_seen_at last_seen_at",
        "rejects": "source_uri stage error run_id",
    }
    for table, columns in contract.items():
        assert set(columns.split()) <= set(TABLES[table].names), table
