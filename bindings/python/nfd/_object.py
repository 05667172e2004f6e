# SPDX-License-Identifier: LGPL-2.1-or-later
"""Common lifetime handling of the wrapper classes (internal)."""

from __future__ import annotations

import ctypes
from ctypes import byref, c_char_p, c_void_p
from typing import Callable, Iterator, List, Optional, Tuple

from ._lib import CtxRef, check, dec, lib

__all__ = ["Handle", "iterate"]


class Handle:
    """One reference to a libnfd object, released by :meth:`close`.

    The reference is dropped deterministically by :meth:`close` or at the end
    of a ``with`` block, and otherwise when the object is garbage collected.
    A handle keeps the context it was made with alive (``_ctx``), so objects
    may outlive the :class:`nfd.Context` they came from.
    """

    _unref: Callable = staticmethod(lambda p: None)
    __slots__ = ("_ptr", "_ctx", "__weakref__")

    def __init__(self, ptr: int, ctx: Optional[CtxRef]):
        self._ptr = ptr
        self._ctx = ctx

    @property
    def _p(self) -> int:
        if not self._ptr:
            raise ValueError(f"{type(self).__name__} is closed")
        return self._ptr

    @property
    def closed(self) -> bool:
        """True once :meth:`close` ran."""
        return not self._ptr

    def close(self) -> None:
        """Drop the C reference now (idempotent)."""
        p, self._ptr = getattr(self, "_ptr", None), None
        if p:
            type(self)._unref(p)
        self._ctx = None

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:  # interpreter shutdown: the library may be gone
            pass


def iterate(make: Callable[[ctypes._Pointer], int], ctx: Optional[CtxRef] = None
            ) -> Iterator[Tuple[str, Optional[str]]]:
    """Drain a ``struct nfd_iter`` made by @make(&it) into (key, value) pairs.

    The pairs are copied before the iterator is freed, so a generator over
    them never holds C memory between steps.
    """
    it = c_void_p()
    check(make(byref(it)), ctx.ptr if ctx else None)
    items: List[Tuple[str, Optional[str]]] = []
    try:
        k, v = c_char_p(), c_char_p()
        while True:
            r = check(lib.nfd_iter_next(it, byref(k), byref(v)))
            if r == 0:
                break
            items.append((dec(k.value), dec(v.value)))
    finally:
        lib.nfd_iter_free(it)
    return iter(items)
