"""The folder a site is published into: what may be replaced, the staging folder, the swap.

A build never writes into the published folder. It writes a staging folder
beside it (``.<name>.building-<pid>``) and, once every file is there, swaps
the two in one step (``renameat2(RENAME_EXCHANGE)`` on Linux; two renames
elsewhere), then deletes the old site. A reader or an upload sees the old
site or the new one, never a mixture; an interrupted or killed build leaves
the old site as it was (a killed build's staging folder is removed by the next one).

:func:`check` refuses a folder whose replacement would lose something that is
not the build's: the root, the home folder, a folder holding the project or
the catalogue, a symbolic link, and a folder with any file a build does not
write (unless ``force``).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import os
import re
import shutil
from pathlib import Path

SITE_TOP_FILES = frozenset({"index.html", "figures.csv", "datapackage.json"})
"""The files at the top of a site."""
FIGURE_FOLDER_FILES = frozenset({"index.html", "embed.html", "specs.js", "oembed.json", "chart.png", "chart.svg", "chart.vl.json", "data.csv"})
"""The files a build may write in a figure's folder."""
ASSETS = "assets"
GENERATOR_MARK = b'<meta name="generator" content="figures">'
"""What the head of every page a build writes holds."""
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
_VERSION = re.compile(r"v[1-9][0-9]*")
_ASSET = re.compile(r"[a-z]+-[0-9a-f]{16}\.(?:js|css|png)")
_STAGING = re.compile(r"\.(?P<name>.+)\.building-(?P<pid>[0-9]+)")
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class UnsafeOutput(Exception):
    """The output folder cannot be replaced by a site; the message says why and what to do."""


def check(out_dir: Path, protected: dict[str, Path], force: bool = False) -> None:
    """Refuse an output folder a build must not replace.

    Parameters
    ----------
    out_dir : Path
        Where the site goes.
    protected : dict of str to Path
        What the site must not contain, by what it is ("the catalogue": its path).
    force : bool
        Replace a folder that holds files a build does not write.

    Raises
    ------
    UnsafeOutput
        Naming the folder, what is wrong and how to fix it.
    """
    out_dir = Path(out_dir)
    if out_dir.is_symlink():
        raise UnsafeOutput(f"{out_dir} is a symbolic link; give the folder itself (a build replaces the folder it writes)")
    resolved = out_dir.resolve()
    if resolved == Path(resolved.anchor) or resolved == Path.home().resolve():
        raise UnsafeOutput(f"{out_dir} is {'the root folder' if resolved == Path(resolved.anchor) else 'your home folder'}; "
                           "give a folder of its own for the site, e.g. -o _site")
    for what, path in protected.items():
        if Path(path).resolve().is_relative_to(resolved):
            raise UnsafeOutput(f"{out_dir} holds {what} ({path}), and a build replaces the whole folder; "
                               "give a folder of its own for the site, e.g. -o _site")
    if out_dir.exists() and not out_dir.is_dir():
        raise UnsafeOutput(f"{out_dir} is a file, not a folder; give a folder for the site")
    if force or not out_dir.is_dir():
        return
    foreign = foreign_files(out_dir)
    if foreign:
        shown = ", ".join(str(p) for p in foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
        raise UnsafeOutput(f"{out_dir} holds files a build did not write ({shown}); the build replaces the whole folder, "
                           "so give an empty or new folder, or add --force to replace it anyway")


def foreign_files(out_dir: Path) -> list[Path]:
    """The entries of ``out_dir`` that a build does not write (a link is always foreign), sorted; at most a few hundred."""
    foreign: list[Path] = []
    for entry in sorted(out_dir.iterdir()):
        if len(foreign) > 200:
            break
        name = entry.name
        if entry.is_symlink():
            foreign.append(entry)
        elif entry.is_file():
            if name not in SITE_TOP_FILES or (name == "index.html" and not _ours(entry)):
                foreign.append(entry)
        elif entry.is_dir() and name == ASSETS:
            foreign.extend(p for p in sorted(entry.iterdir()) if p.is_symlink() or not p.is_file() or not _ASSET.fullmatch(p.name))
        elif entry.is_dir() and _SLUG.fullmatch(name):
            for child in sorted(entry.iterdir()):
                if child.is_dir() and not child.is_symlink() and _VERSION.fullmatch(child.name):
                    foreign.extend(_foreign_in_figure_folder(child, versions=False))
                else:
                    foreign.extend(_foreign_in_figure_folder(entry, versions=True, only=child))
        else:
            foreign.append(entry)
    return foreign


def _foreign_in_figure_folder(folder: Path, versions: bool, only: Path | None = None) -> list[Path]:
    """What in a figure's folder (or in one of its ``v<N>`` folders) a build does not write; ``only``: look at that entry alone."""
    out = []
    for child in [only] if only is not None else sorted(folder.iterdir()):
        if child.is_symlink() or not child.is_file() or child.name not in FIGURE_FOLDER_FILES:
            if not (versions and child.is_dir() and not child.is_symlink() and _VERSION.fullmatch(child.name)):
                out.append(child)
        elif child.name.endswith(".html") and not _ours(child):
            out.append(child)
    return out


def is_slug(name: str) -> bool:
    """True if ``name`` can be a figure's folder: lower-case letters, digits and hyphens, starting with a letter or digit."""
    return _SLUG.fullmatch(name) is not None


def _ours(page: Path) -> bool:
    try:
        with open(page, "rb") as handle:
            return GENERATOR_MARK in handle.read(1024)
    except OSError:
        return False


class Staging:
    """The folder a build writes, beside ``out_dir``; :meth:`publish` swaps it into place.

    As a context manager, it removes itself on the way out unless it was
    published, whatever ended the build (an error, Ctrl-C, SIGTERM).
    """

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = Path(out_dir).absolute()
        self.out_dir.parent.mkdir(parents=True, exist_ok=True)
        _remove_abandoned(self.out_dir)
        self.path = self.out_dir.parent / f".{self.out_dir.name}.building-{os.getpid()}"
        if self.path.exists():
            shutil.rmtree(self.path)
        self.path.mkdir(mode=0o755)
        self._published = False

    def publish(self) -> None:
        """Put the staging folder where ``out_dir`` was, in one step where the system allows; then delete the old site."""
        if self.out_dir.is_dir() and _exchange(self.path, self.out_dir):
            shutil.rmtree(self.path)  # now the old site
        elif self.out_dir.is_dir():
            old = self.out_dir.parent / f".{self.out_dir.name}.old-{os.getpid()}"
            os.rename(self.out_dir, old)
            os.rename(self.path, self.out_dir)
            shutil.rmtree(old)
        else:
            os.rename(self.path, self.out_dir)
        self._published = True

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc: object) -> None:
        if not self._published:
            shutil.rmtree(self.path, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically with Linux's ``renameat2(RENAME_EXCHANGE)``; False where it is not available."""
    name = ctypes.util.find_library("c")
    if not name:
        return False
    try:
        renameat2 = ctypes.CDLL(name, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _remove_abandoned(out_dir: Path) -> None:
    """Remove staging folders of builds of ``out_dir`` that were killed (their process is gone)."""
    for entry in out_dir.parent.iterdir():
        match = _STAGING.fullmatch(entry.name)
        if not match or match["name"] != out_dir.name or not entry.is_dir() or entry.is_symlink():
            continue
        pid = int(match["pid"])
        if pid != os.getpid() and _alive(pid):
            continue
        shutil.rmtree(entry, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    with contextlib.suppress(OSError):
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        return state != "Z"
    return True
