# SPDX-License-Identifier: LGPL-2.1-or-later
"""nfd.Rules: NodeFeatureRule / NodeFeatureGroup objects evaluated as nfd-master does."""

from __future__ import annotations

import os
from ctypes import POINTER, Structure, byref, cast, c_char_p, c_int, c_size_t, c_uint, c_void_p
from typing import Dict, List, NamedTuple, Optional, Sequence, Tuple, Union

from ._lib import check, enc, lib, str_array, take_string
from ._object import Handle, iterate
from .context import Context, StrPath, resolve_ctx
from .features import Features

__all__ = ["Rules", "RulesResult", "Taint"]

NFD_RULES_ENABLE_TAINTS = 1 << 0
NFD_RULES_DISABLE_AUTO_PREFIX = 1 << 1
NFD_RULES_OPTIONS_VERSION = 1
(_LABELS, _ANNOTATIONS, _ERS, _TAINTS, _VARS, _GROUPS, _MESSAGES) = range(7)


class _Options(Structure):
    _fields_ = [("version", c_uint), ("flags", c_uint), ("node_labels", c_void_p),
                ("deny_label_ns", c_void_p), ("extra_label_ns", c_void_p)]


_pp = POINTER(c_void_p)
for _name, (_res, _args) in {
    "nfd_rules_parse": (c_int, [c_void_p, c_char_p, c_size_t, c_char_p, _pp]),
    "nfd_rules_parse_file": (c_int, [c_void_p, c_char_p, _pp]),
    "nfd_rules_unref": (c_void_p, [c_void_p]),
    "nfd_rules_count_objects": (c_int, [c_void_p]),
    "nfd_rules_iter_problems": (c_int, [c_void_p, _pp]),
    "nfd_rules_iter_warnings": (c_int, [c_void_p, _pp]),
    "nfd_rules_evaluate": (c_int, [c_void_p, c_void_p, c_void_p, POINTER(_Options), _pp]),
    "nfd_rules_result_unref": (c_void_p, [c_void_p]),
    "nfd_rules_result_iter": (c_int, [c_void_p, c_uint, _pp]),
    "nfd_rules_result_to_json": (c_int, [c_void_p, _pp]),
}.items():
    _fn = getattr(lib, _name, None)
    if _fn is not None:
        _fn.restype = _res
        _fn.argtypes = _args


class Taint(NamedTuple):
    """A node taint a rule gives (``key=value:effect``)."""

    key: str
    value: str
    effect: str


class RulesResult(Handle):
    """What the rules give one node (``struct nfd_rules_result``)."""

    __slots__ = ()
    _unref = staticmethod(lambda p: lib.nfd_rules_result_unref(p))

    def _part(self, what: int) -> List[Tuple[str, Optional[str]]]:
        return list(iterate(lambda it: lib.nfd_rules_result_iter(self._p, what, it)))

    @property
    def labels(self) -> Dict[str, str]:
        """Node labels after prefixing and validation (NodeFeature labels included)."""
        return dict(self._part(_LABELS))

    @property
    def annotations(self) -> Dict[str, str]:
        """Node annotations, name -> value."""
        return dict(self._part(_ANNOTATIONS))

    @property
    def extended_resources(self) -> Dict[str, str]:
        """Extended resources, name -> quantity."""
        return dict(self._part(_ERS))

    @property
    def taints(self) -> List[Taint]:
        """Applied taints, in rule order (only with ``enable_taints``)."""
        out = []
        for k, v in self._part(_TAINTS):
            value, _, effect = (v or "").rpartition(":")
            out.append(Taint(k, value, effect))
        return out

    @property
    def vars(self) -> Dict[str, str]:
        """The vars of the rules that ran (later rules win)."""
        return dict(self._part(_VARS))

    @property
    def groups(self) -> List[str]:
        """The NodeFeatureGroups that select the node."""
        return [k for k, _ in self._part(_GROUPS)]

    @property
    def messages(self) -> List[Tuple[str, str]]:
        """(kind, message) for each skipped rule and dropped output, as nfd-master logs them."""
        return [(k, v or "") for k, v in self._part(_MESSAGES)]

    def to_json(self) -> str:
        """The result as ``nfd rule dryrun --output-json`` prints it.

        :returns: the JSON document, newline-terminated
        :raises nfd.Error: ENOMEM
        """
        out = c_void_p()
        check(lib.nfd_rules_result_to_json(self._p, byref(out)))
        return take_string(out)


class Rules(Handle):
    """Parsed NodeFeatureRule and NodeFeatureGroup objects (``struct nfd_rules``)."""

    __slots__ = ()
    _unref = staticmethod(lambda p: lib.nfd_rules_unref(p))

    @classmethod
    def from_string(cls, text: Union[str, bytes], name: Optional[str] = None,
                    ctx: Optional[Context] = None) -> "Rules":
        """Parse NodeFeatureRule/NodeFeatureGroup YAML.

        :param text: the YAML (several documents or Lists)
        :param name: the name error messages give it
        :param ctx: the context to use (default: this thread's)
        :returns: the parsed objects
        :raises nfd.Error: EBADMSG with name:line:column for invalid YAML
        """
        buf = text if isinstance(text, bytes) else text.encode("utf-8")
        c = resolve_ctx(ctx)
        out = c_void_p()
        check(lib.nfd_rules_parse(c.ptr, buf, len(buf), enc(name), byref(out)), c.ptr)
        return cls(out.value, c)

    @classmethod
    def from_file(cls, path: StrPath, ctx: Optional[Context] = None) -> "Rules":
        """Parse a NodeFeatureRule/NodeFeatureGroup file.

        :param path: the file, or ``"-"`` for standard input
        :param ctx: the context to use (default: this thread's)
        :returns: the parsed objects
        :raises FileNotFoundError: when the file does not exist
        :raises nfd.Error: as :meth:`from_string`
        """
        c = resolve_ctx(ctx)
        out = c_void_p()
        check(lib.nfd_rules_parse_file(c.ptr, enc(os.fspath(path)), byref(out)), c.ptr)
        return cls(out.value, c)

    def __len__(self) -> int:
        return check(lib.nfd_rules_count_objects(self._p))

    @property
    def problems(self) -> List[str]:
        """What kubectl-nfd's validate reports ("name:line:column: message")."""
        return [k for k, _ in iterate(lambda it: lib.nfd_rules_iter_problems(self._p, it))]

    @property
    def warnings(self) -> List[str]:
        """What NFD takes silently but is likely a mistake, e.g. a repeated key
        ("name:line:column: duplicate key ... (first at name:line:column)")."""
        return [k for k, _ in iterate(lambda it: lib.nfd_rules_iter_warnings(self._p, it))]

    def evaluate(self, features: Features, node_labels: Optional[Dict[str, str]] = None,
                 enable_taints: bool = False, disable_auto_prefix: bool = False,
                 deny_label_ns: Optional[Sequence[str]] = None,
                 extra_label_ns: Optional[Sequence[str]] = None,
                 ctx: Optional[Context] = None) -> RulesResult:
        """Evaluate for one node, as nfd-master does (doc/nodefeaturerule.md).

        :param features: the node's features
        :param node_labels: the node's NodeFeature labels (rule labels
            override them)
        :param enable_taints: apply taints (nfd-master ``-enable-taints``)
        :param disable_auto_prefix: nfd-master's ``DisableAutoPrefix``
        :param deny_label_ns: nfd-master ``-deny-label-ns``
        :param extra_label_ns: nfd-master ``-extra-label-ns``
        :param ctx: the context to use (default: this thread's)
        :returns: what the rules give the node
        :raises nfd.Error: EINVAL for bad options, ENOMEM
        """
        c = resolve_ctx(ctx)
        flat = [s for kv in (node_labels or {}).items() for s in kv]
        keep = (str_array(flat), str_array(deny_label_ns), str_array(extra_label_ns))
        o = _Options(NFD_RULES_OPTIONS_VERSION,
                     (NFD_RULES_ENABLE_TAINTS if enable_taints else 0)
                     | (NFD_RULES_DISABLE_AUTO_PREFIX if disable_auto_prefix else 0),
                     *[None if a is None else cast(a, c_void_p).value for a in keep])
        out = c_void_p()
        check(lib.nfd_rules_evaluate(c.ptr, self._p, features._p, byref(o), byref(out)), c.ptr)
        return RulesResult(out.value, c)
