# SPDX-License-Identifier: LGPL-2.1-or-later
"""nfd.Context: where the host is, log priority, last error."""

from __future__ import annotations

import enum
import os
from typing import Callable, Optional, Union

from ._lib import LOG_FN, CtxRef, check, dec, enc, format_va, lib, new_ctx, thread_ctx

__all__ = ["Context", "Path", "resolve_ctx"]

StrPath = Union[str, "os.PathLike[str]"]


class Path(enum.IntEnum):
    """Host areas discovery reads from (``enum nfd_path``)."""
    SYS = 0
    PROC = 1
    ETC = 2
    BOOT = 3
    LIB = 4
    USR = 5
    VAR = 6


class Context:
    """A libnfd context (``struct nfd_ctx``).

    It says where the host's filesystem is (:attr:`root`, :meth:`set_path`,
    :meth:`set_host_prefix`), which CPUID to read, and holds the message of
    the last failed call.  A context belongs to one thread at a time; the
    module-level functions use a per-thread default context when none is
    given.  Objects made with a context keep it alive, so closing it early is
    safe.
    """

    __slots__ = ("_ref",)

    def __init__(self, root: Optional[StrPath] = None, _ref: Optional[CtxRef] = None):
        self._ref: Optional[CtxRef] = _ref or new_ctx()
        if root is not None:
            self.root = root

    @property
    def _p(self) -> int:
        if self._ref is None:
            raise ValueError("Context is closed")
        return self._ref.ptr

    def close(self) -> None:
        """Drop this object's claim on the context (objects made with it keep theirs)."""
        self._ref = None

    def __enter__(self) -> "Context":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def root(self) -> str:
        """The host root ("/" by default); setting it resets every area's path."""
        return dec(lib.nfd_ctx_get_root(self._p)) or "/"

    @root.setter
    def root(self, root: StrPath) -> None:
        check(lib.nfd_ctx_set_root(self._p, enc(os.fspath(root))), self._p)

    #: ``work_budget`` value that lifts the bound (NFD_WORK_BUDGET_UNLIMITED)
    WORK_BUDGET_UNLIMITED = 2**64 - 1

    @property
    def work_budget(self) -> int:
        """Work units one evaluation made with this context may spend.

        An evaluation that spends them raises :class:`nfd.Error` with errno
        ``ETIME`` (doc/limits.md).  Setting 0 restores the default
        (40,000,000), :attr:`WORK_BUDGET_UNLIMITED` lifts the bound.
        """
        return int(lib.nfd_ctx_get_work_budget(self._p))

    @work_budget.setter
    def work_budget(self, units: int) -> None:
        if not isinstance(units, int) or isinstance(units, bool):
            raise TypeError("work_budget must be an int")
        if units < 0 or units > self.WORK_BUDGET_UNLIMITED:
            raise ValueError("work_budget must be between 0 and 2**64 - 1")
        check(lib.nfd_ctx_set_work_budget(self._p, units), self._p)

    def set_host_prefix(self, prefix: str) -> None:
        """NFD's container layout: each area at ``prefix + name``.

        :param prefix: e.g. ``/host-`` for ``/host-sys``, ``/host-proc``, ...
        :raises nfd.Error: EINVAL for a relative prefix
        """
        check(lib.nfd_ctx_set_host_prefix(self._p, enc(prefix)), self._p)

    def set_path(self, which: Path, path: StrPath) -> None:
        """Override the directory of one area.

        :param which: the area, e.g. ``Path.SYS``
        :param path: its directory, e.g. ``/host-sys``
        :raises nfd.Error: EINVAL for a relative path or a bad area
        """
        check(lib.nfd_ctx_set_path(self._p, int(which), enc(os.fspath(path))), self._p)

    def get_path(self, which: Path) -> str:
        """The directory used for one area.

        :param which: the area, e.g. ``Path.SYS``
        :returns: its directory
        :raises ValueError: for a bad area
        """
        p = lib.nfd_ctx_get_path(self._p, int(which))
        if p is None:
            raise ValueError(f"bad area {which!r}")
        return dec(p)

    def set_cpuid_dump(self, path: Optional[StrPath]) -> None:
        """Replay CPUID from a dump file.

        :param path: an ``nfd-cpuid-dump`` file; None: execute CPUID on this
            CPU
        :raises nfd.Error: when the dump cannot be read
        """
        check(lib.nfd_ctx_set_cpuid_dump(self._p, enc(os.fspath(path)) if path else None),
              self._p)

    def set_log_fn(self, fn: Optional[Callable[[int, str, str, int, str], None]]) -> None:
        """Send the library's messages to ``fn(priority, message, file, line, function)``.

        @priority is a syslog priority (``syslog.LOG_ERR`` ...); only messages
        up to :attr:`log_priority` are passed.  None discards every message
        (the default hook writes "libnfd: <message>" to stderr).  The hook
        runs in the thread making the call.  For example, to use
        :mod:`logging`::

            ctx.set_log_fn(lambda prio, msg, *where: log.log(
                {3: logging.ERROR, 4: logging.WARNING, 6: logging.INFO}.get(prio, logging.DEBUG), msg))

        :param fn: the hook, or None
        :raises ValueError: when the context is closed
        """
        ref = self._ref
        if ref is None:
            raise ValueError("Context is closed")
        if fn is None:
            lib.nfd_ctx_set_log_fn(ref.ptr, LOG_FN(), None)
            ref.log_fn = None
            return

        def trampoline(_userdata, priority, file, line, func, fmt, args):
            fn(priority, format_va(fmt, args), dec(file) or "", line, dec(func) or "")

        cb = LOG_FN(trampoline)
        lib.nfd_ctx_set_log_fn(ref.ptr, cb, None)
        ref.log_fn = cb

    @property
    def log_priority(self) -> int:
        """The highest syslog priority logged (LOG_ERR = 3 by default)."""
        return check(lib.nfd_ctx_get_log_priority(self._p))

    @log_priority.setter
    def log_priority(self, priority: int) -> None:
        lib.nfd_ctx_set_log_priority(self._p, int(priority))

    @property
    def last_error(self) -> str:
        """The message of the last failed call made with this context ("" if none)."""
        return dec(lib.nfd_ctx_last_error(self._p)) or ""

    def __repr__(self) -> str:
        if self._ref is None:
            return "<nfd.Context closed>"
        return f"<nfd.Context root={self.root!r}>"


def resolve_ctx(ctx: Optional[Context] = None, root: Optional[StrPath] = None) -> CtxRef:
    """The context a call uses.

    :param ctx: a context, used when given
    :param root: else a fresh context at this host root
    :returns: the context's reference (else this thread's)
    """
    if ctx is not None:
        if root is not None:
            raise TypeError("give either ctx or root, not both")
        if ctx._ref is None:
            raise ValueError("Context is closed")
        return ctx._ref
    if root is not None:
        return Context(root)._ref
    return thread_ctx()
