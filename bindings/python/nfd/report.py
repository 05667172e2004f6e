# SPDX-License-Identifier: LGPL-2.1-or-later
"""nfd.Report: sets -> rules -> rows, with the node's values."""

from __future__ import annotations

import errno

from ctypes import byref, c_void_p
from typing import Iterator, List, Optional

from ._lib import check, dec, lib, take_string
from ._object import Handle

__all__ = ["Report", "ReportSet", "ReportRule", "ReportRow"]

NFD_REPORT_JSON = 0
NFD_REPORT_TEXT = 1
NFD_REPORT_COLOR = 1
NFD_REPORT_NFD_ONLY = 2


class _Borrowed:
    """A handle borrowed from a report; it keeps the :class:`Report` alive."""

    __slots__ = ("_report", "_h")

    def __init__(self, report: "Report", h: int):
        self._report, self._h = report, h

    @property
    def _p(self) -> int:
        self._report._p  # raises ValueError once the report is closed
        return self._h


class ReportRow(_Borrowed):
    """One expression (or matchName) of a rule, with the node's value."""

    __slots__ = ()

    @property
    def feature(self) -> str:
        """The feature as written in the rule."""
        return dec(lib.nfd_report_row_get_feature(self._p))

    @property
    def name(self) -> str:
        """The element name; "" for a matchName row."""
        return dec(lib.nfd_report_row_get_name(self._p))

    @property
    def op(self) -> str:
        """The operator ("In", "Exists", ...)."""
        return dec(lib.nfd_report_row_get_op(self._p))

    @property
    def type(self) -> str:
        """The value type ("version") or ""."""
        return dec(lib.nfd_report_row_get_type(self._p)) or ""

    @property
    def values(self) -> List[str]:
        """The expression's values."""
        p = self._p
        return [dec(lib.nfd_report_row_get_value(p, i))
                for i in range(check(lib.nfd_report_row_count_values(p)))]

    @property
    def expression(self) -> str:
        """NFD's string form, e.g. ``{op: "In", value: ["a"]}``."""
        return dec(lib.nfd_report_row_get_expression(self._p))

    @property
    def is_match_name(self) -> bool:
        """True for a matchName row, False for a matchExpression row."""
        return bool(lib.nfd_report_row_is_match_name(self._p))

    @property
    def any_index(self) -> Optional[int]:
        """None for a matchFeatures row, i for a row of matchAny[i]."""
        i = lib.nfd_report_row_get_any_index(self._p)
        return None if i < 0 else i

    @property
    def is_match(self) -> bool:
        """True when NFD reports the row OK."""
        return bool(lib.nfd_report_row_is_match(self._p))

    @property
    def node_value(self) -> Optional[str]:
        """What the node has for this row, as one string (instances' values
        and matchName's element names joined by ``", "``); None when it has
        no such element.  See :attr:`node_values` for a list."""
        return dec(lib.nfd_report_row_get_node_value(self._p))

    @property
    def node_values(self) -> Optional[List[str]]:
        """What the node has for this row, as a list.

        ``[value]`` for an attribute, ``["present"]`` for a flag, each
        distinct value of the instances, or the element names for a
        matchName row -- each item as the library holds it, so a value that
        itself contains ``", "`` stays one item.

        :returns: the items, or None when the node has no such element or
            feature.
        :raises ValueError: when the report was closed.
        """
        p = self._p
        n = check(lib.nfd_report_row_count_node_values(p))
        if n == 0:
            return None
        return [dec(lib.nfd_report_row_get_node_value_item(p, i)) for i in range(n)]

    def __repr__(self) -> str:
        return (f"<ReportRow {self.feature} {self.name} {self.expression} "
                f"{'OK' if self.is_match else 'FAIL'} node={self.node_value!r}>")


class ReportRule(_Borrowed):
    """One rule of a compatibility set; iterate it for its rows."""

    __slots__ = ()

    @property
    def name(self) -> str:
        """The rule's name ("" when unnamed)."""
        return dec(lib.nfd_report_rule_get_name(self._p)) or ""

    @property
    def is_match(self) -> bool:
        """True when the rule matched."""
        return bool(lib.nfd_report_rule_is_match(self._p))

    @property
    def rows(self) -> List[ReportRow]:
        """The matchFeatures rows, then those of each matchAny element."""
        p = self._p
        n = check(lib.nfd_report_rule_count_rows(p))
        return [ReportRow(self._report, lib.nfd_report_rule_get_row(p, i)) for i in range(n)]

    def __iter__(self) -> Iterator[ReportRow]:
        return iter(self.rows)

    def __len__(self) -> int:
        return check(lib.nfd_report_rule_count_rows(self._p))

    def __repr__(self) -> str:
        return f"<ReportRule {self.name!r} match={self.is_match}>"


class ReportSet(_Borrowed):
    """One evaluated compatibility set; iterate it for its rules."""

    __slots__ = ()

    @property
    def tag(self) -> str:
        """The set's tag ("" when none)."""
        return dec(lib.nfd_report_set_get_tag(self._p)) or ""

    @property
    def description(self) -> str:
        """The set's description ("" when none)."""
        return dec(lib.nfd_report_set_get_description(self._p)) or ""

    @property
    def weight(self) -> int:
        """The set's weight."""
        return lib.nfd_report_set_get_weight(self._p)

    @property
    def spec_index(self) -> int:
        """The set's index in the spec (before tag filtering)."""
        return lib.nfd_report_set_get_spec_index(self._p)

    @property
    def compatible(self) -> bool:
        """True when every rule of the set matched."""
        return bool(lib.nfd_report_set_is_compatible(self._p))

    @property
    def rules(self) -> List[ReportRule]:
        """The set's rules, in order."""
        p = self._p
        n = check(lib.nfd_report_set_count_rules(p))
        return [ReportRule(self._report, lib.nfd_report_set_get_rule(p, i)) for i in range(n)]

    def __iter__(self) -> Iterator[ReportRule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return check(lib.nfd_report_set_count_rules(self._p))

    def __repr__(self) -> str:
        return f"<ReportSet #{self.spec_index} tag={self.tag!r} compatible={self.compatible}>"


class Report(Handle):
    """The result of :meth:`nfd.Spec.evaluate` (``struct nfd_report``).

    Iterate it for the evaluated :class:`ReportSet` objects, each of them for
    :class:`ReportRule` objects, each of those for :class:`ReportRow`
    objects.  Those views borrow from the report and keep it alive.
    """

    __slots__ = ()
    _unref = staticmethod(lambda p: lib.nfd_report_unref(p))

    @property
    def compatible(self) -> bool:
        """True when at least one evaluated set is compatible."""
        return bool(check(lib.nfd_report_is_compatible(self._p)))

    def __bool__(self) -> bool:
        return self.compatible

    @property
    def best_set(self) -> Optional[int]:
        """Index (into :attr:`sets`) of the best compatible set, or None when
        no set matched.  Index 0 is falsy: test ``is None`` (or use
        :attr:`best`)."""
        r = lib.nfd_report_best_set(self._p)
        if r == -errno.ENOENT:
            return None
        return check(r)

    @property
    def best(self) -> Optional["ReportSet"]:
        """The best compatible set itself, or None when no set matched."""
        i = self.best_set
        return None if i is None else self.sets[i]

    @property
    def sets(self) -> List[ReportSet]:
        """The evaluated sets (after tag filtering), in spec order."""
        p = self._p
        n = check(lib.nfd_report_count_sets(p))
        return [ReportSet(self, lib.nfd_report_get_set(p, i)) for i in range(n)]

    def __iter__(self) -> Iterator[ReportSet]:
        return iter(self.sets)

    def __len__(self) -> int:
        return check(lib.nfd_report_count_sets(self._p))

    def _string(self, fmt: int, flags: int) -> str:
        out = c_void_p()
        n = check(lib.nfd_report_to_string(self._p, fmt, flags, byref(out)))
        return take_string(out.value, n)

    def to_json(self) -> str:
        """Byte-identical to ``nfd compat validate-node --output-json``."""
        return self._string(NFD_REPORT_JSON, 0)

    def to_text(self, color: bool = False, nfd_only: bool = False) -> str:
        """NFD's tables, plus node values for failed rows and a verdict line.

        :param color: ANSI colours as NFD prints them
        :param nfd_only: exactly NFD's output, without the explanations and
            verdict
        :returns: the text
        :raises ValueError: when the report was closed
        """
        flags = (NFD_REPORT_COLOR if color else 0) | (NFD_REPORT_NFD_ONLY if nfd_only else 0)
        return self._string(NFD_REPORT_TEXT, flags)

    def __repr__(self) -> str:
        if self.closed:
            return "<nfd.Report closed>"
        return f"<nfd.Report compatible={self.compatible} sets={len(self)}>"
