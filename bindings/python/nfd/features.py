# SPDX-License-Identifier: LGPL-2.1-or-later
"""nfd.Features: a node's features (flags, attributes, instances)."""

from __future__ import annotations

import enum
import errno
import os
from collections.abc import Mapping, Sequence, Set
from ctypes import byref, c_char_p, c_void_p
from typing import Iterable, Iterator, List, Optional, Union

from ._lib import CtxRef, check, dec, enc, lib, str_array, take_string
from ._object import Handle, iterate
from .context import Context, StrPath, resolve_ctx

__all__ = ["Features", "FeaturesBuilder", "FeatureType", "discover", "source_names"]



class FeatureType(enum.IntFlag):
    """Element types (``enum nfd_feature_type``)."""
    FLAG = 1
    ATTRIBUTE = 2
    INSTANCE = 4


class FlagSet(Set):
    """The flags of one feature: a read-only, frozenset-like view."""

    __slots__ = ("_f", "_name")

    def __init__(self, f: "Features", name: str):
        self._f, self._name = f, name

    def __contains__(self, flag: object) -> bool:
        if not isinstance(flag, str):
            return False
        return bool(check(lib.nfd_features_has_flag(self._f._p, enc(self._name), enc(flag))))

    def __iter__(self) -> Iterator[str]:
        f = self._f
        return (k for k, _ in iterate(
            lambda it: lib.nfd_features_iter_flags(f._p, enc(self._name), it)))

    def __len__(self) -> int:
        return sum(1 for _ in self)

    __hash__ = Set._hash

    def __repr__(self) -> str:
        return f"FlagSet({sorted(self)!r})"


class _ValueMap(Mapping):
    """A read-only name -> value mapping over one C getter and one C iterator."""

    __slots__ = ()

    def _get(self, key: bytes, out) -> int:
        raise NotImplementedError

    def _iter(self, it) -> int:
        raise NotImplementedError

    def __getitem__(self, key: str) -> str:
        if not isinstance(key, str):
            raise KeyError(key)
        v = c_char_p()
        r = self._get(enc(key), byref(v))
        if r == -errno.ENOENT:
            raise KeyError(key)
        check(r)
        return dec(v.value)

    def _items(self):
        return iterate(self._iter)

    def __iter__(self) -> Iterator[str]:
        return (k for k, _ in self._items())

    def __len__(self) -> int:
        return sum(1 for _ in self._items())

    def __repr__(self) -> str:
        return f"{type(self).__name__}({dict(self._items())!r})"


class AttributeMap(_ValueMap):
    """The attributes of one feature: a read-only name -> value mapping."""

    __slots__ = ("_f", "_name")

    def __init__(self, f: "Features", name: str):
        self._f, self._name = f, name

    def _get(self, key, out):
        return lib.nfd_features_get_attribute(self._f._p, enc(self._name), key, out)

    def _iter(self, it):
        return lib.nfd_features_iter_attributes(self._f._p, enc(self._name), it)


class Instance(_ValueMap):
    """One instance of a feature: a read-only name -> value mapping."""

    __slots__ = ("_f", "_name", "_index")

    def __init__(self, f: "Features", name: str, index: int):
        self._f, self._name, self._index = f, name, index

    def _get(self, key, out):
        return lib.nfd_features_get_instance_attribute(self._f._p, enc(self._name),
                                                       self._index, key, out)

    def _iter(self, it):
        return lib.nfd_features_iter_instance(self._f._p, enc(self._name), self._index, it)


class InstanceList(Sequence):
    """The instances of one feature, in order."""

    __slots__ = ("_f", "_name")

    def __init__(self, f: "Features", name: str):
        self._f, self._name = f, name

    def __len__(self) -> int:
        return check(lib.nfd_features_count_instances(self._f._p, enc(self._name)))

    def __getitem__(self, index):
        n = len(self)
        if isinstance(index, slice):
            return [Instance(self._f, self._name, i) for i in range(*index.indices(n))]
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError("instance index out of range")
        return Instance(self._f, self._name, index)

    def __repr__(self) -> str:
        return f"InstanceList({[dict(i) for i in self]!r})"


class FeatureMap(Mapping):
    """Feature name -> elements of one type (``f.flags``, ``f.attributes``, ...)."""

    __slots__ = ("_f", "_type", "_view")

    def __init__(self, f: "Features", type_: FeatureType, view):
        self._f, self._type, self._view = f, type_, view

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        return bool(check(lib.nfd_features_has_feature(self._f._p, int(self._type), enc(name))))

    def __getitem__(self, name: str):
        if name not in self:
            raise KeyError(name)
        return self._view(self._f, name)

    def __iter__(self) -> Iterator[str]:
        f = self._f
        return (k for k, _ in iterate(
            lambda it: lib.nfd_features_iter_features(f._p, int(self._type), it)))

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __repr__(self) -> str:
        return f"FeatureMap({self._type.name}, {list(self)!r})"


class Features(Handle):
    """A node's features (``struct nfd_features``), in NFD's model.

    Read them through three mappings keyed by feature name::

        f.flags["cpu.cpuid"]                     # frozenset-like: "AVX2" in ...
        f.attributes["kernel.version"]["major"]  # str
        f.instances["pci.device"][0]["vendor"]   # str

    Objects from :func:`discover`, :meth:`from_json` and
    :meth:`FeaturesBuilder.seal` are sealed: immutable and shareable between
    threads.  The C reference is dropped by :meth:`close` (or ``with``).
    """

    __slots__ = ()
    _unref = staticmethod(lambda p: lib.nfd_features_unref(p))

    @classmethod
    def _wrap(cls, ptr: int, ctx: Optional[CtxRef]):
        return cls(ptr, ctx)

    @classmethod
    def from_json(cls, data: Union[str, bytes, "os.PathLike[str]"],
                  ctx: Optional[Context] = None) -> "Features":
        """Parse ``nfd export features`` JSON, a NodeFeature or a list of them.

        :param data: the document (``bytes``, or a ``str`` starting with
            ``{`` or ``[``) or a path (``os.PathLike``, or any other ``str``)
        :param ctx: the context to use (default: this thread's)
        :returns: the features (sealed)
        :raises nfd.Error: EBADMSG for malformed JSON
        """
        if isinstance(data, os.PathLike) or (isinstance(data, str)
                                             and data.lstrip()[:1] not in ("{", "[")):
            return cls.from_file(data, ctx=ctx)
        buf = data if isinstance(data, bytes) else data.encode("utf-8")
        c = resolve_ctx(ctx)
        out = c_void_p()
        check(lib.nfd_features_parse_json(c.ptr, buf, len(buf), byref(out)), c.ptr)
        return cls._wrap(out.value, c)

    @classmethod
    def from_file(cls, path: StrPath, ctx: Optional[Context] = None) -> "Features":
        """Parse a features file (see :meth:`from_json`).

        :param path: the file, or ``"-"`` for standard input
        :param ctx: the context to use (default: this thread's)
        :returns: the features (sealed)
        :raises FileNotFoundError: when the file does not exist
        :raises nfd.Error: EBADMSG for malformed JSON
        """
        c = resolve_ctx(ctx)
        out = c_void_p()
        check(lib.nfd_features_parse_file(c.ptr, enc(os.fspath(path)), byref(out)), c.ptr)
        return cls._wrap(out.value, c)

    @staticmethod
    def build(ctx: Optional[Context] = None) -> "FeaturesBuilder":
        """Start building features by hand.

        :param ctx: the context to use (default: this thread's)
        :returns: an empty, unsealed :class:`FeaturesBuilder`
        :raises nfd.Error: ENOMEM
        """
        c = resolve_ctx(ctx)
        out = c_void_p()
        check(lib.nfd_features_new(c.ptr, byref(out)), c.ptr)
        return FeaturesBuilder(out.value, c)

    def to_json(self, compact: bool = False, newline: bool = True) -> str:
        """NFD's export JSON (``nfd export features``), keys sorted.

        :param compact: one line instead of a 4-space indent
        :param newline: end with a newline
        :returns: the JSON text
        """
        flags = (1 if compact else 0) | (0 if newline else 2)
        out = c_void_p()
        n = check(lib.nfd_features_to_json(self._p, flags, byref(out)))
        return take_string(out.value, n)

    @property
    def flags(self) -> FeatureMap:
        """Feature name -> :class:`FlagSet`."""
        return FeatureMap(self, FeatureType.FLAG, FlagSet)

    @property
    def attributes(self) -> FeatureMap:
        """Feature name -> :class:`AttributeMap`."""
        return FeatureMap(self, FeatureType.ATTRIBUTE, AttributeMap)

    @property
    def instances(self) -> FeatureMap:
        """Feature name -> :class:`InstanceList`."""
        return FeatureMap(self, FeatureType.INSTANCE, InstanceList)

    @classmethod
    def from_dict(cls, d: dict, ctx: Optional[Context] = None) -> "Features":
        """The inverse of :meth:`to_dict`: build features from a
        ``{"flags": ..., "attributes": ..., "instances": ...}`` dict (or a
        NodeFeature object as a dict).

        :param d: the dict
        :param ctx: the context to use (default: this thread's)
        :returns: the features (sealed)
        :raises nfd.Error: errno EBADMSG when the dict is not in that shape.
        """
        import json

        def export(kind, v):
            # to_dict's plain shapes -> the export JSON's {"elements": ...}
            if isinstance(v, dict) and "elements" in v:
                return v
            if kind == "flags" and isinstance(v, (list, tuple, set, frozenset)):
                return {"elements": {str(n): {} for n in v}}
            if kind == "attributes" and isinstance(v, dict):
                return {"elements": v}
            if kind == "instances" and isinstance(v, (list, tuple)):
                return {"elements": [{"attributes": i} for i in v]}
            return v

        if isinstance(d, dict) and set(d) <= {"flags", "attributes", "instances"}:
            d = {k: {name: export(k, v) for name, v in d[k].items()}
                 if isinstance(d[k], dict) else d[k] for k in d}
        return cls.from_json(json.dumps(d), ctx=ctx)

    def to_dict(self) -> dict:
        """A plain ``{"flags": {...}, "attributes": {...}, "instances": {...}}`` copy."""
        return {
            "flags": {k: sorted(v) for k, v in self.flags.items()},
            "attributes": {k: dict(v) for k, v in self.attributes.items()},
            "instances": {k: [dict(i) for i in v] for k, v in self.instances.items()},
        }

    def __repr__(self) -> str:
        if self.closed:
            return f"<nfd.{type(self).__name__} closed>"
        return (f"<nfd.{type(self).__name__} flags={len(self.flags)} "
                f"attributes={len(self.attributes)} instances={len(self.instances)}>")


class FeaturesBuilder(Features):
    """An unsealed features object: add elements, then :meth:`seal`.

    ::

        b = nfd.Features.build()
        b.add_flag("cpu.cpuid", "AVX2").set_attribute("kernel.version", "major", "6")
        b.add_instance("pci.device", {"vendor": "10de", "class": "0302"})
        f = b.seal()
    """

    __slots__ = ()

    def declare(self, type_: FeatureType, feature: str) -> "FeaturesBuilder":
        """Make a feature exist with no elements.

        :param type_: its type
        :param feature: its name (``domain.feature``)
        :returns: this builder
        :raises nfd.Error: EINVAL for a bad name, EEXIST for another type
        """
        check(lib.nfd_features_declare(self._p, int(type_), enc(feature)))
        return self

    def add_flag(self, feature: str, name: str) -> "FeaturesBuilder":
        """Add a flag.

        :param feature: the flag feature (``domain.feature``)
        :param name: the flag
        :returns: this builder
        :raises nfd.Error: EINVAL, EEXIST (a feature of another type)
        """
        check(lib.nfd_features_add_flag(self._p, enc(feature), enc(name)))
        return self

    def set_attribute(self, feature: str, name: str, value: str) -> "FeaturesBuilder":
        """Set an attribute.

        :param feature: the attribute feature (``domain.feature``)
        :param name: the attribute
        :param value: its value
        :returns: this builder
        :raises nfd.Error: EINVAL, EEXIST (a feature of another type)
        """
        check(lib.nfd_features_set_attribute(self._p, enc(feature), enc(name), enc(value)))
        return self

    def add_instance(self, feature: str, attrs: Optional[Mapping] = None) -> int:
        """Append an instance.

        :param feature: the instance feature (``domain.feature``)
        :param attrs: its attributes, name -> value
        :returns: the new instance's index
        :raises nfd.Error: EINVAL, EEXIST (a feature of another type)
        """
        flat: List[str] = []
        for k, v in (attrs or {}).items():
            flat += [k, v]
        arr = str_array(flat) if flat else None
        return check(lib.nfd_features_add_instance(self._p, enc(feature), arr))

    def merge(self, other: Features) -> "FeaturesBuilder":
        """Copy every feature of other features in.

        :param other: the features to copy (flags are united, attributes
            and instances replaced)
        :returns: this builder
        :raises nfd.Error: EEXIST (a feature of another type), ENOMEM
        """
        check(lib.nfd_features_merge(self._p, other._p))
        return self

    def seal(self) -> Features:
        """Make the object immutable and return it as a :class:`Features`.

        The builder is closed; later additions through it raise ValueError.
        """
        check(lib.nfd_features_seal(self._p))
        f = Features(lib.nfd_features_ref(self._p), self._ctx)
        self.close()
        return f


def source_names() -> List[str]:
    """The discovery sources, in the order they run."""
    arr = lib.nfd_source_names()
    out = []
    i = 0
    while arr[i] is not None:
        out.append(dec(arr[i]))
        i += 1
    return out


def discover(sources: Optional[Iterable[str]] = None, root: Optional[StrPath] = None,
             ctx: Optional[Context] = None) -> Features:
    """Discover this host's features (or those of the tree at @root).

    :param sources: source names (see :func:`source_names`), None for all
    :param root: a host root directory (e.g. ``/host``); None: the
        context's, or ``/``
    :param ctx: the context to use (default: this thread's)
    :returns: the features (sealed)
    :raises TypeError: when sources is a string rather than a sequence
    :raises nfd.Error: EINVAL for an unknown source
    """
    if isinstance(sources, (str, bytes)):
        raise TypeError("sources must be a sequence of strings, not a string")
    c = resolve_ctx(ctx, root)
    arr = str_array(list(sources)) if sources is not None else None
    out = c_void_p()
    check(lib.nfd_discover(c.ptr, arr, byref(out)), c.ptr)
    return Features._wrap(out.value, c)
