from __future__ import annotations

import pytest

from transforms.identity import canonical_url, comment_id_for, site_of, thread_id_for


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://Example.COM/blog/post/", "https://example.com/blog/post"),
        ("http://www.example.com/blog/post", "https://example.com/blog/post"),
        ("https://example.com/blog/post/comment-page-3/", "https://example.com/blog/post"),
        ("https://example.com/blog/post/#comment-12", "https://example.com/blog/post"),
        ("https://example.com/p?utm_source=x&id=7&fbclid=y", "https://example.com/p?id=7"),
        ("https://example.com/p?b=2&a=1", "https://example.com/p?a=1&b=2"),
        ("https://example.com/p?replytocom=55", "https://example.com/p"),
        ("https://example.com:443/p", "https://example.com/p"),
        ("https://example.com:8080/p", "https://example.com:8080/p"),
        (
            "http://web.archive.org/web/20140101000000/http://example.com/p/",
            "https://example.com/p",
        ),
    ],
)
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


def test_site_of() -> None:
    assert site_of("https://www.Example.com/x") == "example.com"
    assert (
        site_of("https://web.archive.org/web/2014/https://blog.example.org/a") == "blog.example.org"
    )


def test_thread_id_is_stable_across_url_variants() -> None:
    a = thread_id_for(url="https://example.com/post/", site=None, title=None)
    b = thread_id_for(
        url="http://www.example.com/post/comment-page-2/#comments", site=None, title="x"
    )
    assert a == b
    c = thread_id_for(url=None, site="example.com", title="A  Title")
    d = thread_id_for(url=None, site="example.com", title="a title")
    assert c == d != a


def test_comment_id_native_vs_content() -> None:
    native = comment_id_for(thread_id="t", native_id="42", parent_id=None, author="A", text="x")
    assert native == comment_id_for(
        thread_id="t", native_id="42", parent_id="p", author="B", text="y"
    )
    content = comment_id_for(
        thread_id="t", native_id=None, parent_id=None, author="Ann", text="Hi  there"
    )
    assert content == comment_id_for(
        thread_id="t", native_id=None, parent_id=None, author="ann", text="hi there"
    )
    assert content != comment_id_for(
        thread_id="t", native_id=None, parent_id="c1", author="Ann", text="Hi there"
    )
