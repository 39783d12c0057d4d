"""The build cache: objects by their hash, entries naming them, every damage a miss, pruning."""

from __future__ import annotations

import hashlib
import os

import pytest

from figures.cache import Cache, digest


def test_an_object_is_stored_once_by_its_hash_and_read_back(tmp_path):
    cache = Cache(tmp_path / "cache")

    first, second = cache.put(b"chart"), cache.put(b"chart")

    assert first == second == hashlib.sha256(b"chart").hexdigest()
    assert cache.read(first) == b"chart"
    assert len([p for p in (tmp_path / "cache" / "objects").rglob("*") if p.is_file()]) == 1


def test_placing_an_object_links_it_so_its_modification_time_stays(tmp_path):
    cache = Cache(tmp_path / "cache")
    sha = cache.put(b"page")
    os.utime(cache.folder / "objects" / sha[:2] / sha, ns=(1_000_000_000, 1_000_000_000))

    assert cache.place(sha, tmp_path / "a.html") and cache.place(sha, tmp_path / "b.html")

    assert (tmp_path / "a.html").read_bytes() == b"page"
    assert (tmp_path / "a.html").stat().st_mtime_ns == (tmp_path / "b.html").stat().st_mtime_ns == 1_000_000_000


@pytest.mark.parametrize("damage", ["truncated", "other bytes", "deleted", "not a hash"])
def test_a_damaged_or_missing_object_is_a_miss(tmp_path, damage):
    cache = Cache(tmp_path / "cache")
    sha = cache.put(b"the image of the right data")
    path = cache.folder / "objects" / sha[:2] / sha
    if damage == "truncated":
        path.write_bytes(b"the image")
    elif damage == "other bytes":
        path.write_bytes(b"the image of the wrong data")
    elif damage == "deleted":
        path.unlink()
    else:
        sha = "../../etc/passwd"

    assert cache.read(sha) is None
    assert not cache.place(sha, tmp_path / "out")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("content", [b"{not json", b"[1, 2]", b"", b"\xff\xfe"])
def test_an_unreadable_entry_is_a_miss(tmp_path, content):
    cache = Cache(tmp_path / "cache")
    key = digest("figure")
    cache.remember("figure", key, {"files": {}})
    (cache.folder / "entries" / "figure" / key[:2] / f"{key}.json").write_bytes(content)

    assert cache.entry("figure", key) is None


def test_an_entry_is_remembered_and_an_unknown_key_is_a_miss(tmp_path):
    cache = Cache(tmp_path / "cache")

    cache.remember("images", digest("a"), {"chart.png": "0" * 64})

    assert cache.entry("images", digest("a")) == {"chart.png": "0" * 64}
    assert cache.entry("images", digest("b")) is None


def test_pruning_keeps_only_what_this_cache_used(tmp_path):
    old = Cache(tmp_path / "cache")
    kept, dropped = old.put(b"kept"), old.put(b"dropped")
    old.remember("figure", digest("kept"), {"sha": kept})
    old.remember("figure", digest("dropped"), {"sha": dropped})
    new = Cache(tmp_path / "cache")
    assert new.entry("figure", digest("kept")) == {"sha": kept}
    assert new.read(kept) == b"kept"

    assert new.prune() == 2

    assert new.read(kept) == b"kept" and new.read(dropped) is None
    assert new.entry("figure", digest("dropped")) is None


@pytest.mark.parametrize(("a", "b"), [(("ab", "c"), ("a", "bc")), ((b"x",), (b"x", b"")), (("1",), ("2",))])
def test_keys_of_different_parts_differ(a, b):
    assert digest(*a) != digest(*b)
