"""Drawing out of harm's way: vl-convert runs in a child process, never in the caller's.

vl-convert panics and aborts the whole process on some text (a Unicode
noncharacter such as U+FFFE), which Python cannot catch: drawn in the
Streamlit server's own process, one such title would end the server for every
reader. So every image is drawn by a :class:`Renderer`, a long-lived child
process started lazily with the "spawn" method (the server has threads, so it
is never forked) that imports only :mod:`figures.images` and vl-convert and
stays warm between calls. When the child dies, hangs past its timeout (it is
then killed) or vl-convert raises, the call raises :class:`RenderError` and
the next call starts a fresh child::

    try:
        data = shared().call(images.draw_png, spec)
    except RenderError as err:
        show(str(err))        # a calm sentence for readers
        log(err.reason)       # what went wrong, for editors and logs

The child's standard error (where a Rust panic writes its message and
backtrace) goes to a private file; its last words become
:attr:`RenderError.reason`, so a command prints one line, not a backtrace.

This module imports only the standard library and :mod:`figures.images`, so
the child starts in about a tenth of a second.
"""

from __future__ import annotations

import atexit
import contextlib
import math
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import TypeVar

T = TypeVar("T")

MESSAGE = "This image could not be drawn; the data and the other downloads still work."
"""What :class:`RenderError` says: safe to show a reader (no path, no traceback, no data)."""
TIMEOUT_ENV = "FIGURES_RENDER_TIMEOUT"
"""Environment variable: seconds a drawing (or a child's start) may take before the child is killed."""
DEFAULT_TIMEOUT = 20.0
"""Seconds, when :data:`TIMEOUT_ENV` is not set: a chart takes about 50 ms, a fresh child about 0.5 s to start and draw."""
_READY = "ready"
_CHILD = ("import sys\n"
          "from multiprocessing.connection import Connection\n"
          "conn = Connection(int(sys.argv[1]))\n"
          "sys.path[:] = conn.recv()\n"
          "from figures.render import _serve\n"
          "_serve(conn)\n")
"""The child's program: the caller's import path first, then :func:`_serve`."""
_REASON_LIMIT = 300
_LOG_LIMIT = 1 << 20
"""Bytes of the child's standard error kept, at most, between calls."""


class RenderError(Exception):
    """An image could not be drawn: the renderer crashed, hung or raised.

    ``str(err)`` is :data:`MESSAGE`, fit for readers; :attr:`reason` says what
    happened in one line (for the command line, editors and logs).
    """

    def __init__(self, reason: str) -> None:
        super().__init__(MESSAGE)
        self.reason = reason


def default_timeout() -> float:
    """The timeout from :data:`TIMEOUT_ENV` (seconds, a finite number above zero), else :data:`DEFAULT_TIMEOUT`."""
    try:
        value = float(os.environ.get(TIMEOUT_ENV, ""))
    except ValueError:
        return DEFAULT_TIMEOUT
    return value if math.isfinite(value) and value > 0 else DEFAULT_TIMEOUT


class Renderer:
    """One child process that draws, started on the first call and again after a failure.

    Thread-safe: calls from several threads take turns. Use as a context
    manager, or call :meth:`close`, to end the child; it also ends when this
    process exits.

    Parameters
    ----------
    timeout : float, optional
        Seconds the child may take to start, and then to answer one call,
        before it is killed; default :func:`default_timeout`.
    """

    def __init__(self, timeout: float | None = None) -> None:
        self.timeout = default_timeout() if timeout is None else timeout
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._conn: Connection | None = None
        self._log: int | None = None  # reads and empties the child's standard error (the file is already unlinked)

    def call(self, function: Callable[..., T], *args: object) -> T:
        """``function(*args)`` in the child; ``function`` must be importable by name (a module's top-level function).

        Raises
        ------
        RenderError
            If the child died, took longer than :attr:`timeout`, or ``function`` raised.
        """
        with self._lock:
            if self._process is None:
                self._start()
            try:
                self._conn.send((function, args))
                if not self._conn.poll(self.timeout):
                    self._stop(kill=True)
                    raise RenderError(f"the drawing took longer than {self.timeout:g} s and was stopped")
                ok, value = self._conn.recv()
            except (EOFError, OSError):  # the child died (a panic aborts it) or its pipe broke
                raise RenderError(self._death()) from None
            if os.fstat(self._log).st_size > _LOG_LIMIT:  # only its last words matter
                os.ftruncate(self._log, 0)
        if not ok:
            raise RenderError(value)
        return value

    def close(self) -> None:
        """End the child, if one is running; a later call starts a new one."""
        with self._lock:
            self._stop()

    def __enter__(self) -> Renderer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _start(self) -> None:
        # A fresh interpreter (not multiprocessing's "spawn", which would re-import the caller's
        # main script) that imports only this module, figures.images and vl-convert.
        # Its standard error goes to a private, already unlinked file, appended to so that it can be emptied.
        handle, path = tempfile.mkstemp(prefix="figures-render-", suffix=".log")
        ours, theirs = socket.socketpair()
        try:
            with open(path, "ab", buffering=0) as log:
                process = subprocess.Popen(
                    [sys.executable, "-c", _CHILD, str(theirs.fileno())],
                    stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log, pass_fds=(theirs.fileno(),))
        except OSError as err:
            os.close(handle)
            ours.close()
            raise RenderError(f"the drawing process could not start ({err.strerror or err})") from None
        finally:
            theirs.close()
            os.unlink(path)
        self._process, self._conn, self._log = process, Connection(ours.detach()), handle
        try:
            self._conn.send(sys.path)
            if not self._conn.poll(self.timeout):
                self._stop(kill=True)
                raise RenderError(f"the drawing process did not start within {self.timeout:g} s")
            self._conn.recv()
        except (EOFError, OSError):
            raise RenderError(self._death()) from None

    def _death(self) -> str:
        """Why the child died, in one line; the child is cleaned up."""
        process, log = self._process, self._log
        code = None
        if process is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                code = process.wait(5)
        last_words = _panic_message(_tail(log)) if log is not None else ""
        self._stop()
        if code is not None and code < 0:
            how = f"was killed by {signal.Signals(-code).name}" if -code in signal.valid_signals() else f"was killed by signal {-code}"
        else:
            how = f"exited with status {code}" if code is not None else "stopped"
        return _one_line(f"the drawing process {how}" + (f": {last_words}" if last_words else ""))

    def _stop(self, kill: bool = False) -> None:
        """End the child: close its pipe and let it exit (or, with ``kill``, kill it at once); forget it."""
        process, conn, log = self._process, self._conn, self._log
        self._process = self._conn = self._log = None
        if conn is not None:
            conn.close()  # the child sees the end of its pipe and exits
        if process is not None:
            if kill:
                process.kill()
            try:
                process.wait(1)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if log is not None:
            os.close(log)


class Pool:
    """Several :class:`Renderer` children shared by threads: each call takes whichever child is free.

    A failure is the failure of one call only; the child that failed starts
    afresh on its next call, and the others go on drawing.
    """

    def __init__(self, size: int, timeout: float | None = None) -> None:
        self._all = [Renderer(timeout) for _ in range(max(1, size))]
        self._free: queue.SimpleQueue[Renderer] = queue.SimpleQueue()
        for renderer in self._all:
            self._free.put(renderer)

    def call(self, function: Callable[..., T], *args: object) -> T:
        """:meth:`Renderer.call` on a free child (waiting for one). Raises :class:`RenderError`."""
        renderer = self._free.get()
        try:
            return renderer.call(function, *args)
        finally:
            self._free.put(renderer)

    def close(self) -> None:
        """End every child."""
        for renderer in self._all:
            renderer.close()

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_shared: Renderer | None = None
_shared_lock = threading.Lock()


def shared() -> Renderer:
    """The process's own :class:`Renderer`, created on first use (the app and ``figures export`` draw with it)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Renderer()
            atexit.register(_shared.close)
        return _shared


def _serve(conn: Connection) -> None:
    """The child: answer calls until the pipe closes (standard error already goes to the parent's private file)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the parent, which closes the pipe
    conn.send(_READY)
    while True:
        try:
            function, args = conn.recv()
        except (EOFError, OSError):
            return
        try:
            answer = (True, function(*args))
        except Exception as err:  # vl-convert refused the spec, or the SVG was not one
            answer = (False, _one_line(f"{type(err).__name__}: {err}"))
        conn.send(answer)


def _tail(descriptor: int, size: int = 8192) -> str:
    end = os.fstat(descriptor).st_size
    return os.pread(descriptor, size, max(0, end - size)).decode("utf-8", "replace")


def _panic_message(log: str) -> str:
    """The message of the first Rust panic in ``log`` (the line after ``panicked at``), else its last line."""
    lines = [line.strip() for line in log.splitlines() if line.strip()]
    for i, line in enumerate(lines[:-1]):
        if re.search(r"\bpanicked at\b", line):
            return lines[i + 1]
    return lines[-1] if lines else ""


def _one_line(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _REASON_LIMIT else text[: _REASON_LIMIT - 1] + "\u2026"
