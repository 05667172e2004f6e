# SPDX-License-Identifier: LGPL-2.1-or-later
"""Many nodes: NodeFeature lists, grouped per node as nfd-master merges them."""

from __future__ import annotations

import os
from ctypes import POINTER, addressof, byref, c_void_p
from typing import Iterable, Iterator, List, Optional, Tuple, Union

from ._lib import (NFD_NODES_OPTIONS_VERSION, NodesOptions, check, dec, enc, lib,
                   str_array)
from ._object import Handle
from .context import Context, StrPath, resolve_ctx
from .features import Features
from .report import Report
from .spec import Spec

__all__ = ["Nodes", "evaluate_nodes"]

Source = Union[str, bytes, "os.PathLike[str]", "Nodes"]


def _threads(threads: int) -> int:
    """A thread count for the C API (an unsigned int): checked, not wrapped."""
    if isinstance(threads, bool) or not isinstance(threads, int):
        raise TypeError(f"threads must be an int, not {type(threads).__name__}")
    if not 0 <= threads < 1 << 32:
        raise ValueError(f"threads must be 0 (one per CPU) or a positive count, not {threads}")
    return threads


class Nodes(Handle):
    """The nodes of a NodeFeature list (``struct nfd_nodes``), sorted by name.

    Made from what ``kubectl get nodefeatures -A -o json`` prints, a single
    NodeFeature or an ``nfd export features`` document.  Objects are grouped
    by their ``nfd.node.kubernetes.io/node-name`` label and merged in
    nfd-master's order; objects without the label are skipped and listed in
    :attr:`warnings`.  Iterating gives ``(name, Features)`` pairs; ``nodes[name]``
    is one node's features.  Immutable and shareable between threads.
    """

    __slots__ = ()
    _unref = staticmethod(lambda p: lib.nfd_nodes_unref(p))

    @classmethod
    def load(cls, data: Union[str, bytes, "os.PathLike[str]"], *,
             nfd_namespace: Optional[str] = None, only_for: Optional[Iterable[Spec]] = None,
             max_bytes: int = 0, threads: int = 0, ctx: Optional[Context] = None) -> "Nodes":
        """Parse a NodeFeature list, one NodeFeature or an export document.

        :param data: the document (``bytes``, or a ``str`` starting with
            ``{``), or a file path (``"-"``: standard input)
        :param nfd_namespace: the namespace nfd-master runs in (its objects
            merge first; default ``node-feature-discovery``)
        :param only_for: keep only the features these specs reference (same
            verdicts, less memory)
        :param max_bytes: the size limit (0: the library's, 768 MiB)
        :param threads: threads that read a long list (several megabytes);
            0: one per CPU (at most 16), 1: the calling thread only.  The
            result does not depend on it.
        :param ctx: the context to use (default: this thread's)
        :returns: the nodes
        :raises nfd.Error: for a malformed, truncated or oversized list
        :raises ValueError: for a negative thread count
        """
        c = resolve_ctx(ctx)
        opts = NodesOptions()
        check(lib.nfd_nodes_options_init(byref(opts), NFD_NODES_OPTIONS_VERSION), None)
        opts.nfd_namespace = enc(nfd_namespace)
        opts.max_bytes = max_bytes
        opts.threads = _threads(threads)
        keep = list(only_for) if only_for is not None else None
        arr = None
        if keep is not None:
            arr = (c_void_p * (len(keep) + 1))(*[s._p for s in keep], None)
            opts.only_for_specs = addressof(arr)
        out = c_void_p()
        if isinstance(data, os.PathLike) or (isinstance(data, str)
                                             and data.lstrip()[:1] != "{"):
            r = lib.nfd_nodes_parse_file(c.ptr, enc(os.fspath(data)), byref(opts), byref(out))
        else:
            buf = data if isinstance(data, bytes) else data.encode("utf-8")
            r = lib.nfd_nodes_parse_json(c.ptr, buf, len(buf), byref(opts), byref(out))
        check(r, c.ptr)
        return cls(out.value, c)

    def __len__(self) -> int:
        return check(lib.nfd_nodes_count(self._p))

    @property
    def names(self) -> List[str]:
        """The node names, sorted."""
        return [dec(lib.nfd_nodes_get_name(self._p, i)) for i in range(len(self))]

    @property
    def warnings(self) -> List[str]:
        """The items that were skipped (no or an empty node-name label)."""
        n = check(lib.nfd_nodes_count_warnings(self._p))
        return [dec(lib.nfd_nodes_get_warning(self._p, i)) for i in range(n)]

    def _features(self, i: int) -> Features:
        return Features._wrap(lib.nfd_features_ref(lib.nfd_nodes_get_features(self._p, i)),
                              self._ctx)

    def __getitem__(self, name: str) -> Features:
        i = lib.nfd_nodes_find(self._p, enc(name))
        if i < 0:
            raise KeyError(name)
        return self._features(i)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and lib.nfd_nodes_find(self._p, enc(name)) >= 0

    def __iter__(self) -> Iterator[Tuple[str, Features]]:
        for i in range(len(self)):
            yield dec(lib.nfd_nodes_get_name(self._p, i)), self._features(i)

    def evaluate(self, spec: Spec, tags: Optional[Iterable[str]] = None, threads: int = 0,
                 ctx: Optional[Context] = None) -> List[Tuple[str, Report]]:
        """Evaluate a spec against every node.

        :param spec: the spec
        :param tags: only sets with one of these tags; None or empty: all
        :param threads: worker threads (0: one per CPU)
        :param ctx: the context to use (default: this thread's)
        :returns: ``(node, Report)`` pairs sorted by node name
        :raises TypeError: when tags is a string rather than a sequence
        :raises ValueError: for a negative thread count
        :raises nfd.Error: when any node's evaluation fails (no partial list)
        """
        if isinstance(tags, (str, bytes)):
            raise TypeError("tags must be a sequence of strings, not a string")
        threads = _threads(threads)
        c = resolve_ctx(ctx)
        arr = str_array(list(tags)) if tags is not None else None
        out = POINTER(c_void_p)()
        n = check(lib.nfd_evaluate_nodes(c.ptr, spec._p, self._p, arr, threads, byref(out)),
                  c.ptr)
        try:
            return [(dec(lib.nfd_nodes_get_name(self._p, i)),
                     Report(lib.nfd_report_ref(out[i]), c)) for i in range(n)]
        finally:
            lib.nfd_reports_free(out, n)

    def __repr__(self) -> str:
        if self.closed:
            return "<nfd.Nodes closed>"
        return f"<nfd.Nodes {len(self)} nodes>"


def evaluate_nodes(spec: Spec, features_list: Source, tags: Optional[Iterable[str]] = None,
                   threads: int = 0, ctx: Optional[Context] = None
                   ) -> List[Tuple[str, Report]]:
    """Evaluate a spec against every node of a NodeFeature list.

    Only the features the spec references are kept while reading.

    :param spec: the spec
    :param features_list: a :class:`Nodes`, a path, or the document itself
    :param tags: only sets with one of these tags; None or empty: all
    :param threads: threads that read the list and evaluate the nodes
        (0: one per CPU); the result does not depend on it
    :param ctx: the context to use (default: this thread's)
    :returns: ``(node, Report)`` pairs sorted by node name
    :raises nfd.Error: as :meth:`Nodes.load` and :meth:`Nodes.evaluate`

    Example::

        for node, report in nfd.evaluate_nodes(spec, "nodefeatures.json"):
            print(node, report.compatible)
    """
    if isinstance(features_list, Nodes):
        return features_list.evaluate(spec, tags=tags, threads=threads, ctx=ctx)
    with Nodes.load(features_list, only_for=[spec], threads=threads, ctx=ctx) as nodes:
        return nodes.evaluate(spec, tags=tags, threads=threads, ctx=ctx)
