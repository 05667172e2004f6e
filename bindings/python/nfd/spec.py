# SPDX-License-Identifier: LGPL-2.1-or-later
"""nfd.Spec: a parsed image compatibility spec, and evaluating it."""

from __future__ import annotations

import os
from ctypes import byref, c_void_p
from typing import Iterable, List, NamedTuple, Optional, Union

from ._lib import CtxRef, check, dec, enc, lib, str_array
from ._object import Handle, iterate
from .context import Context, StrPath, resolve_ctx
from .features import Features
from .report import Report

__all__ = ["Spec", "SpecSet"]


class SpecSet(NamedTuple):
    """One compatibility set as written in the spec."""
    tag: str
    description: str
    weight: int


class Spec(Handle):
    """A parsed image compatibility spec (``struct nfd_spec``, NFD v1alpha1).

    Immutable and shareable between threads; :meth:`evaluate` may run from
    many threads at once (each call uses its thread's own context).
    """

    __slots__ = ()
    _unref = staticmethod(lambda p: lib.nfd_spec_unref(p))

    @classmethod
    def from_string(cls, text: Union[str, bytes], name: Optional[str] = None,
                    ctx: Optional[Context] = None) -> "Spec":
        """Parse a spec (YAML or JSON).

        :param text: the spec's text
        :param name: the name error messages give it (default ``<input>``)
        :param ctx: the context to use (default: this thread's)
        :returns: the parsed spec
        :raises nfd.Error: EBADMSG with name:line:column for an invalid spec,
            ENOTSUP for an unknown version
        """
        buf = text if isinstance(text, bytes) else text.encode("utf-8")
        c = resolve_ctx(ctx)
        out = c_void_p()
        check(lib.nfd_spec_parse(c.ptr, buf, len(buf), enc(name), byref(out)), c.ptr)
        return cls(out.value, c)

    @classmethod
    def from_file(cls, path: StrPath, ctx: Optional[Context] = None) -> "Spec":
        """Parse a spec file.

        :param path: the file, or ``"-"`` for standard input
        :param ctx: the context to use (default: this thread's)
        :returns: the parsed spec
        :raises FileNotFoundError: when the file does not exist
        :raises nfd.Error: as :meth:`from_string`
        """
        c = resolve_ctx(ctx)
        out = c_void_p()
        check(lib.nfd_spec_parse_file(c.ptr, enc(os.fspath(path)), byref(out)), c.ptr)
        return cls(out.value, c)

    @classmethod
    def _wrap(cls, ptr: int, ctx: CtxRef) -> "Spec":
        return cls(ptr, ctx)

    @property
    def version(self) -> str:
        """The spec's ``version`` field."""
        return dec(lib.nfd_spec_get_version(self._p)) or ""

    @property
    def sets(self) -> List[SpecSet]:
        """The compatibility sets, in spec order."""
        p = self._p
        n = check(lib.nfd_spec_count_sets(p))
        return [SpecSet(dec(lib.nfd_spec_set_get_tag(p, i)) or "",
                        dec(lib.nfd_spec_set_get_description(p, i)) or "",
                        lib.nfd_spec_set_get_weight(p, i)) for i in range(n)]

    @property
    def warnings(self) -> List[str]:
        """Lint warnings recorded while parsing ("name:line:column: message")."""
        p = self._p
        n = check(lib.nfd_spec_count_warnings(p))
        return [dec(lib.nfd_spec_get_warning(p, i)) for i in range(n)]

    @property
    def problems(self) -> List[str]:
        """What NFD reports only at evaluation, or kubectl-nfd's validation rejects.

        ("name:line:column: message"; ``nfd compat validate-spec`` treats
        them as errors; evaluating such an expression raises EBADMSG.)
        """
        p = self._p
        n = check(lib.nfd_spec_count_problems(p))
        return [dec(lib.nfd_spec_get_problem(p, i)) for i in range(n)]

    @property
    def sources(self) -> List[str]:
        """The discovery sources the spec's rules reference, sorted."""
        p = self._p
        return [k for k, _ in iterate(lambda it: lib.nfd_spec_iter_sources(p, it))]

    def discover(self, root: Optional[StrPath] = None,
                 ctx: Optional[Context] = None) -> Features:
        """Discover only the sources this spec references (lazy discovery).

        :param root: a host tree mounted elsewhere (NFD's ``--root``)
        :param ctx: the context to use (default: this thread's)
        :returns: the host's features
        :raises nfd.Error: when discovery fails as a whole
        """
        c = resolve_ctx(ctx, root)
        out = c_void_p()
        check(lib.nfd_discover_for_spec(c.ptr, self._p, byref(out)), c.ptr)
        return Features._wrap(out.value, c)

    def evaluate(self, features: Features, tags: Optional[Iterable[str]] = None,
                 ctx: Optional[Context] = None) -> Report:
        """Evaluate the spec against a node, as ``nfd compat validate-node``.

        An incompatible node is a result (``report.compatible`` is False),
        not an error.

        :param features: the node's features
        :param tags: only sets with one of these tags (NFD's ``--tags``);
            None or empty: all sets
        :param ctx: the context to use (default: this thread's)
        :returns: the report
        :raises TypeError: when tags is a string rather than a sequence
        :raises nfd.Error: EBADMSG when an expression could not be evaluated
        """
        if isinstance(tags, (str, bytes)):
            raise TypeError("tags must be a sequence of strings, not a string")
        c = resolve_ctx(ctx)
        arr = str_array(list(tags)) if tags is not None else None
        out = c_void_p()
        check(lib.nfd_evaluate(c.ptr, self._p, features._p, arr, byref(out)), c.ptr)
        return Report(out.value, c)

    def __repr__(self) -> str:
        if self.closed:
            return "<nfd.Spec closed>"
        return f"<nfd.Spec version={self.version!r} sets={len(self.sets)}>"
