"""The build cache: files stored by the SHA-256 of their bytes, and entries saying which files a key made.

``figures build`` keeps it beside the site it writes (``<site>.cache/`` by
default), so a rebuild draws only what changed::

    cache = Cache(Path("_site.cache"))
    entry = cache.entry("images", key)          # None: never made, or unreadable
    if entry is None or not cache.place(entry["chart.png"], staging / "chart.png"):
        ...draw, then: cache.remember("images", key, {"chart.png": cache.put(png)})

A key is the hash of everything a file is made from (see :mod:`figures.build`),
so a stale file is never served: a changed input is a new key. An object is
checked against its hash every time it is used; a corrupt, partial or missing
object or an unreadable entry is a miss, and the caller makes the file again.
Objects are hard-linked into the site (copied where links cannot be made), so
a file whose bytes did not change keeps its modification time across builds,
for rsync and CDN uploads. :meth:`Cache.prune` then drops what the last build
did not use.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
from pathlib import Path

from figures.files import write_atomically

_HEX = re.compile(r"[0-9a-f]{64}")


def digest(*parts: bytes | str) -> str:
    """The SHA-256 (hex) of ``parts``, each length-prefixed so that no two lists of parts collide."""
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "big") + data)
    return hasher.hexdigest()


class Cache:
    """A content-addressed store of files and the entries that name them, in ``folder``.

    Not shared between processes at once: one build uses a cache at a time.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self._used_objects: set[str] = set()
        self._used_entries: set[Path] = set()

    # -- objects --------------------------------------------------------------------------

    def _object(self, sha: str) -> Path:
        return self.folder / "objects" / sha[:2] / sha

    def put(self, data: bytes) -> str:
        """Store ``data`` (once) and return its SHA-256."""
        sha = hashlib.sha256(data).hexdigest()
        path = self._object(sha)
        if not self._intact(path, sha):
            write_atomically(path, data)
        self._used_objects.add(sha)
        return sha

    def read(self, sha: str) -> bytes | None:
        """The bytes of object ``sha``, or None if it is missing or does not hash to ``sha``."""
        if not _HEX.fullmatch(sha):
            return None
        try:
            data = self._object(sha).read_bytes()
        except OSError:
            return None
        if hashlib.sha256(data).hexdigest() != sha:
            return None
        self._used_objects.add(sha)
        return data

    def place(self, sha: str, destination: Path) -> bool:
        """Put object ``sha`` at ``destination`` (a new path), hard-linked or copied; False if it is missing or corrupt."""
        if not _HEX.fullmatch(sha) or not self._intact(self._object(sha), sha):
            return False
        source = self._object(sha)
        try:
            os.link(source, destination)
        except OSError:
            shutil.copy2(source, destination)
        self._used_objects.add(sha)
        return True

    @staticmethod
    def _intact(path: Path, sha: str) -> bool:
        try:
            with open(path, "rb") as handle:
                return hashlib.file_digest(handle, "sha256").hexdigest() == sha
        except OSError:
            return False

    # -- entries --------------------------------------------------------------------------

    def _entry(self, kind: str, key: str) -> Path:
        return self.folder / "entries" / kind / key[:2] / f"{key}.json"

    def entry(self, kind: str, key: str) -> dict | None:
        """The entry of ``key`` (a dict of JSON values), or None if there is none or it cannot be read."""
        path = self._entry(kind, key)
        try:
            value = json.loads(path.read_bytes())
        except (OSError, ValueError):
            return None
        if not isinstance(value, dict):
            return None
        self._used_entries.add(path)
        return value

    def keep(self, kind: str, key: str) -> None:
        """Count the entry of ``key`` and the objects it names as used, so :meth:`prune` keeps them (an entry not read this build)."""
        entry = self.entry(kind, key)
        for value in (entry or {}).values():
            if isinstance(value, str) and _HEX.fullmatch(value):
                self._used_objects.add(value)

    def remember(self, kind: str, key: str, value: dict) -> None:
        """Record the entry of ``key``."""
        path = self._entry(kind, key)
        write_atomically(path, json.dumps(value, sort_keys=True).encode("utf-8"))
        self._used_entries.add(path)

    # -- housekeeping -----------------------------------------------------------------------

    def prune(self) -> int:
        """Remove every object and entry this :class:`Cache` did not use; returns how many files went."""
        removed = 0
        for kind, used in (("objects", {self._object(s) for s in self._used_objects}), ("entries", self._used_entries)):
            top = self.folder / kind
            if not top.is_dir():
                continue
            for path in top.rglob("*"):
                if path.is_file() and path not in used:
                    with contextlib.suppress(OSError):
                        path.unlink()
                        removed += 1
        return removed
