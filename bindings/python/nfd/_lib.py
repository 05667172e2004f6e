# SPDX-License-Identifier: LGPL-2.1-or-later
"""Loading libnfd.so.1 and declaring its C prototypes (internal).

Nothing here has logic of its own: it finds the library, declares the
argument and result types of every exported function, and turns a negative
return value into :class:`nfd.Error`.
"""

from __future__ import annotations

import ctypes
import os
import threading
from ctypes import (POINTER, Structure, c_char_p, c_int, c_long, c_size_t, c_uint,
                    c_uint64, c_void_p)
from typing import Optional, Sequence

__all__ = ["lib", "Error", "NoArtifact", "check", "enc", "dec", "take_string", "str_array",
           "OciOptions", "NFD_OCI_OPTIONS_VERSION", "NodesOptions", "NFD_NODES_OPTIONS_VERSION"]

SONAME = "libnfd.so.1"


def _candidates() -> list:
    """Where to look for the library, in order."""
    out = []
    env = os.environ.get("NFD_LIBRARY")
    if env:
        out.append(env)
        return out
    # Run from a source tree: bindings/python/nfd -> top; the build is in
    # $NFD_TOP_BUILDDIR, ./build (bootstrap.sh) or the tree itself.
    here = os.path.dirname(os.path.abspath(__file__))
    top = os.path.dirname(os.path.dirname(os.path.dirname(here)))
    builddir = os.environ.get("NFD_TOP_BUILDDIR")
    for d in ([builddir] if builddir else []) + [os.path.join(top, "build"), top]:
        p = os.path.join(d, "libnfd", ".libs", SONAME)
        if os.path.exists(p):
            out.append(p)
    out.append(SONAME)
    return out


def _load() -> ctypes.CDLL:
    errors = []
    for path in _candidates():
        try:
            return ctypes.CDLL(path, use_errno=True)
        except OSError as e:
            errors.append(f"{path}: {e}")
    raise ImportError("cannot load libnfd (set NFD_LIBRARY to the path of " + SONAME
                      + ", or install libnfd): " + "; ".join(errors))


lib = _load()
_libc = ctypes.CDLL(None)
_libc.free.argtypes = [c_void_p]
_libc.free.restype = None


class Error(OSError):
    """A libnfd call failed.

    ``errno`` holds the positive errno value the call returned (negated), and
    ``strerror`` (also ``str(err)``'s text) the library's message from
    ``nfd_ctx_last_error()``, or the system's text for the errno when the
    library gave none.

    ``Error(errno, msg)`` builds the subclass Python's :class:`OSError` would
    for that errno, so both ``except nfd.Error`` and ``except
    FileNotFoundError`` (ENOENT), ``PermissionError`` (EACCES),
    ``TimeoutError`` (ETIMEDOUT), ``ConnectionRefusedError`` ... catch it;
    ENODATA from the OCI calls is :class:`NoArtifact`.
    """

    def __new__(cls, errno: int = 0, message: str = "", *args):
        if cls is Error:
            cls = _errno_class(errno)
        return super().__new__(cls, errno, message or os.strerror(errno))

    def __init__(self, errno: int = 0, message: str = "", *args):
        super().__init__(errno, message or os.strerror(errno))


class NoArtifact(Error):
    """The image exists but has no compatibility artifact attached (ENODATA).

    Distinct from :class:`FileNotFoundError` (ENOENT: image, tag or platform
    not found).
    """


_ERRNO_CLASSES: dict = {}


def _errno_class(errno: int) -> type:
    """The :class:`Error` subclass for errno: NoArtifact for ENODATA, else
    one that also derives from the OSError subclass Python maps errno to."""
    import errno as _errno

    if errno == _errno.ENODATA:
        return NoArtifact
    builtin = type(OSError(errno, ""))
    if builtin is OSError:
        return Error
    c = _ERRNO_CLASSES.get(builtin)
    if c is None:
        c = type(builtin.__name__, (Error, builtin), {
            "__module__": "nfd",
            "__doc__": f"An :class:`nfd.Error` that is also a :class:`{builtin.__name__}`.",
        })
        _ERRNO_CLASSES[builtin] = c
    return c


def enc(s: Optional[str]) -> Optional[bytes]:
    """str -> bytes for a C string argument (None stays NULL)."""
    if s is None:
        return None
    if isinstance(s, bytes):
        b = s
    else:
        b = os.fsencode(s) if isinstance(s, os.PathLike) else s.encode("utf-8")
    # C strings end at the first NUL: refuse what would be cut short, as os does
    if b"\0" in b:
        raise ValueError("embedded null byte")
    return b


def dec(b: Optional[bytes]) -> Optional[str]:
    """A borrowed C string (bytes from c_char_p) -> str; NULL -> None."""
    if b is None:
        return None
    return b.decode("utf-8", "surrogateescape")


def take_string(p: c_void_p, length: Optional[int] = None) -> str:
    """Copy a malloc'ed C string the caller owns, then free(3) it."""
    try:
        data = ctypes.string_at(p, length) if length is not None else ctypes.string_at(p)
        return data.decode("utf-8", "surrogateescape")
    finally:
        _libc.free(p)


def take_bytes(p: c_void_p, length: int) -> bytes:
    """Copy a malloc'ed buffer of @length bytes, then free(3) it."""
    try:
        return ctypes.string_at(p, length)
    finally:
        _libc.free(p)


def str_array(items: Optional[Sequence[str]]):
    """A NULL-terminated ``const char *const *`` (None stays NULL)."""
    if items is None:
        return None
    if isinstance(items, (str, bytes)):
        raise TypeError("expected a sequence of strings, not a string")
    vals = [enc(s) for s in items]
    arr = (c_char_p * (len(vals) + 1))(*vals, None)
    return arr


def check(r: int, ctx=None) -> int:
    """Raise :class:`Error` for a negative return value, else return it.

    @ctx: the ``struct nfd_ctx *`` the call used (for the message), or None.
    """
    if r >= 0:
        return r
    msg = ""
    if ctx:
        msg = dec(lib.nfd_ctx_last_error(ctx)) or ""
    raise Error(-r, msg)


NFD_OCI_OPTIONS_VERSION = 2

# int (*progress)(void *userdata, unsigned long long done, unsigned long long total)
PROGRESS_FN = ctypes.CFUNCTYPE(c_int, c_void_p, ctypes.c_ulonglong, ctypes.c_ulonglong)
NFD_NODES_OPTIONS_VERSION = 2


class NodesOptions(Structure):
    """``struct nfd_nodes_options`` as <nfd/nodes.h> declares it (version 2)."""
    _fields_ = [
        ("version", c_uint),
        ("nfd_namespace", c_char_p),
        ("only_for_specs", c_void_p),
        ("max_bytes", c_size_t),
        ("threads", c_uint),  # version 2
    ]


class OciOptions(Structure):
    """``struct nfd_oci_options`` as <nfd/oci.h> declares it (version 2)."""
    _fields_ = [
        ("version", c_uint),
        ("platform", c_char_p),
        ("plain_http", c_int),
        ("username", c_char_p),
        ("password", c_char_p),
        ("token", c_char_p),
        ("auth_file", c_char_p),
        ("ca_file", c_char_p),
        ("timeout_ms", c_long),
        ("max_spec_size", c_size_t),
        ("artifact_digest", c_char_p),
        ("progress", PROGRESS_FN),
        ("userdata", c_void_p),
    ]


# typedef void (*nfd_log_fn)(void *userdata, int priority, const char *file,
#                            int line, const char *fn, const char *format,
#                            va_list args);
# va_list reaches the callback as a pointer on the Linux ABIs (an array on
# x86-64, a by-reference aggregate on aarch64, a pointer elsewhere), and is
# handed on unchanged to vsnprintf(3).
LOG_FN = ctypes.CFUNCTYPE(None, c_void_p, c_int, c_char_p, c_int, c_char_p, c_char_p,
                          c_void_p)
_libc.vsnprintf.argtypes = [c_char_p, c_size_t, c_char_p, c_void_p]
_libc.vsnprintf.restype = c_int


def format_va(fmt: bytes, args: int) -> str:
    """Expand a printf format with a va_list (for the log hook)."""
    buf = ctypes.create_string_buffer(1024)
    n = _libc.vsnprintf(buf, len(buf), fmt, args)
    return buf.raw[:max(0, min(n, len(buf) - 1))].decode("utf-8", "replace")


_ctx = c_void_p
_feat = c_void_p
_spec = c_void_p
_rep = c_void_p
_iter = c_void_p
_pp = POINTER(c_void_p)
_ccp = POINTER(c_char_p)

_PROTOS = {
    # ctx.h
    "nfd_version": (c_char_p, []),
    "nfd_ctx_new": (_ctx, []),
    "nfd_ctx_ref": (_ctx, [_ctx]),
    "nfd_ctx_unref": (_ctx, [_ctx]),
    "nfd_ctx_last_error": (c_char_p, [_ctx]),
    "nfd_ctx_set_root": (c_int, [_ctx, c_char_p]),
    "nfd_ctx_get_root": (c_char_p, [_ctx]),
    "nfd_ctx_set_host_prefix": (c_int, [_ctx, c_char_p]),
    "nfd_ctx_set_path": (c_int, [_ctx, c_uint, c_char_p]),
    "nfd_ctx_get_path": (c_char_p, [_ctx, c_uint]),
    "nfd_ctx_set_cpuid_dump": (c_int, [_ctx, c_char_p]),
    "nfd_ctx_set_log_fn": (None, [_ctx, LOG_FN, c_void_p]),
    "nfd_ctx_set_log_priority": (None, [_ctx, c_int]),
    "nfd_ctx_get_log_priority": (c_int, [_ctx]),
    "nfd_ctx_set_work_budget": (c_int, [_ctx, c_uint64]),
    "nfd_ctx_get_work_budget": (c_uint64, [_ctx]),
    # iter.h
    "nfd_iter_next": (c_int, [_iter, _ccp, _ccp]),
    "nfd_iter_free": (_iter, [_iter]),
    # features.h
    "nfd_features_new": (c_int, [_ctx, _pp]),
    "nfd_features_ref": (_feat, [_feat]),
    "nfd_features_unref": (_feat, [_feat]),
    "nfd_features_declare": (c_int, [_feat, c_uint, c_char_p]),
    "nfd_features_add_flag": (c_int, [_feat, c_char_p, c_char_p]),
    "nfd_features_set_attribute": (c_int, [_feat, c_char_p, c_char_p, c_char_p]),
    "nfd_features_add_instance": (c_int, [_feat, c_char_p, c_void_p]),
    "nfd_features_merge": (c_int, [_feat, _feat]),
    "nfd_features_seal": (c_int, [_feat]),
    "nfd_features_has_feature": (c_int, [_feat, c_uint, c_char_p]),
    "nfd_features_has_flag": (c_int, [_feat, c_char_p, c_char_p]),
    "nfd_features_get_attribute": (c_int, [_feat, c_char_p, c_char_p, _ccp]),
    "nfd_features_count_instances": (c_int, [_feat, c_char_p]),
    "nfd_features_get_instance_attribute": (c_int, [_feat, c_char_p, c_size_t, c_char_p,
                                                    _ccp]),
    "nfd_features_iter_features": (c_int, [_feat, c_uint, _pp]),
    "nfd_features_iter_flags": (c_int, [_feat, c_char_p, _pp]),
    "nfd_features_iter_attributes": (c_int, [_feat, c_char_p, _pp]),
    "nfd_features_iter_instance": (c_int, [_feat, c_char_p, c_size_t, _pp]),
    "nfd_features_parse_json": (c_int, [_ctx, c_char_p, c_size_t, _pp]),
    "nfd_features_parse_file": (c_int, [_ctx, c_char_p, _pp]),
    "nfd_features_to_json": (c_int, [_feat, c_uint, _pp]),
    "nfd_source_names": (POINTER(c_char_p), []),
    "nfd_discover": (c_int, [_ctx, c_void_p, _pp]),
    # spec.h
    "nfd_spec_parse": (c_int, [_ctx, c_char_p, c_size_t, c_char_p, _pp]),
    "nfd_spec_parse_file": (c_int, [_ctx, c_char_p, _pp]),
    "nfd_spec_ref": (_spec, [_spec]),
    "nfd_spec_unref": (_spec, [_spec]),
    "nfd_spec_get_version": (c_char_p, [_spec]),
    "nfd_spec_count_sets": (c_int, [_spec]),
    "nfd_spec_set_get_tag": (c_char_p, [_spec, c_size_t]),
    "nfd_spec_set_get_description": (c_char_p, [_spec, c_size_t]),
    "nfd_spec_set_get_weight": (c_int, [_spec, c_size_t]),
    "nfd_spec_count_warnings": (c_int, [_spec]),
    "nfd_spec_get_warning": (c_char_p, [_spec, c_size_t]),
    "nfd_spec_count_problems": (c_int, [_spec]),
    "nfd_spec_get_problem": (c_char_p, [_spec, c_size_t]),
    "nfd_spec_iter_sources": (c_int, [_spec, _pp]),
    "nfd_discover_for_spec": (c_int, [_ctx, _spec, _pp]),
    # report.h
    "nfd_evaluate": (c_int, [_ctx, _spec, _feat, c_void_p, _pp]),
    # nodes.h (LIBNFD_1.1)
    "nfd_nodes_options_init": (c_int, [c_void_p, c_uint]),
    "nfd_nodes_parse_json": (c_int, [_ctx, c_char_p, c_size_t, c_void_p, _pp]),
    "nfd_nodes_parse_file": (c_int, [_ctx, c_char_p, c_void_p, _pp]),
    "nfd_nodes_ref": (c_void_p, [c_void_p]),
    "nfd_nodes_unref": (c_void_p, [c_void_p]),
    "nfd_nodes_count": (c_int, [c_void_p]),
    "nfd_nodes_get_name": (c_char_p, [c_void_p, c_size_t]),
    "nfd_nodes_get_features": (_feat, [c_void_p, c_size_t]),
    "nfd_nodes_find": (c_int, [c_void_p, c_char_p]),
    "nfd_nodes_count_warnings": (c_int, [c_void_p]),
    "nfd_nodes_get_warning": (c_char_p, [c_void_p, c_size_t]),
    "nfd_evaluate_nodes": (c_int, [_ctx, _spec, c_void_p, c_void_p, c_uint,
                                   POINTER(POINTER(c_void_p))]),
    "nfd_reports_free": (None, [POINTER(c_void_p), c_size_t]),
    "nfd_report_ref": (_rep, [_rep]),
    "nfd_report_unref": (_rep, [_rep]),
    "nfd_report_is_compatible": (c_int, [_rep]),
    "nfd_report_best_set": (c_int, [_rep]),
    "nfd_report_count_sets": (c_int, [_rep]),
    "nfd_report_get_set": (c_void_p, [_rep, c_size_t]),
    "nfd_report_set_get_tag": (c_char_p, [c_void_p]),
    "nfd_report_set_get_description": (c_char_p, [c_void_p]),
    "nfd_report_set_get_weight": (c_int, [c_void_p]),
    "nfd_report_set_get_spec_index": (c_int, [c_void_p]),
    "nfd_report_set_is_compatible": (c_int, [c_void_p]),
    "nfd_report_set_count_rules": (c_int, [c_void_p]),
    "nfd_report_set_get_rule": (c_void_p, [c_void_p, c_size_t]),
    "nfd_report_rule_get_name": (c_char_p, [c_void_p]),
    "nfd_report_rule_is_match": (c_int, [c_void_p]),
    "nfd_report_rule_count_rows": (c_int, [c_void_p]),
    "nfd_report_rule_get_row": (c_void_p, [c_void_p, c_size_t]),
    "nfd_report_row_get_feature": (c_char_p, [c_void_p]),
    "nfd_report_row_get_name": (c_char_p, [c_void_p]),
    "nfd_report_row_get_op": (c_char_p, [c_void_p]),
    "nfd_report_row_get_type": (c_char_p, [c_void_p]),
    "nfd_report_row_count_values": (c_int, [c_void_p]),
    "nfd_report_row_get_value": (c_char_p, [c_void_p, c_size_t]),
    "nfd_report_row_get_expression": (c_char_p, [c_void_p]),
    "nfd_report_row_is_match_name": (c_int, [c_void_p]),
    "nfd_report_row_get_any_index": (c_int, [c_void_p]),
    "nfd_report_row_is_match": (c_int, [c_void_p]),
    "nfd_report_row_get_node_value": (c_char_p, [c_void_p]),
    # report.h, LIBNFD_1.1
    "nfd_report_row_count_node_values": (c_int, [c_void_p]),
    "nfd_report_row_get_node_value_item": (c_char_p, [c_void_p, c_size_t]),
    "nfd_report_to_string": (c_int, [_rep, c_uint, c_uint, _pp]),
    # oci.h
    "nfd_oci_options_init": (c_int, [POINTER(OciOptions), c_uint]),
    "nfd_oci_has_registry": (c_int, []),
    "nfd_oci_fetch_spec_data": (c_int, [_ctx, c_char_p, POINTER(OciOptions), _pp,
                                        POINTER(c_size_t)]),
    "nfd_oci_fetch_spec": (c_int, [_ctx, c_char_p, POINTER(OciOptions), _pp]),
    "nfd_oci_attach_spec": (c_int, [_ctx, c_char_p, c_char_p, c_size_t,
                                    POINTER(OciOptions), _pp]),
    # oci.h, LIBNFD_1.1
    "nfd_oci_fetch": (c_int, [_ctx, c_char_p, POINTER(OciOptions), _pp]),
    "nfd_oci_artifact_ref": (c_void_p, [c_void_p]),
    "nfd_oci_artifact_unref": (c_void_p, [c_void_p]),
    "nfd_oci_artifact_get_image_digest": (c_char_p, [c_void_p]),
    "nfd_oci_artifact_get_index_digest": (c_char_p, [c_void_p]),
    "nfd_oci_artifact_get_subject_digest": (c_char_p, [c_void_p]),
    "nfd_oci_artifact_get_digest": (c_char_p, [c_void_p]),
    "nfd_oci_artifact_get_spec_digest": (c_char_p, [c_void_p]),
    "nfd_oci_artifact_get_created": (c_char_p, [c_void_p]),
    "nfd_oci_artifact_get_data": (c_void_p, [c_void_p, POINTER(c_size_t)]),
    "nfd_oci_list_artifacts": (c_int, [_ctx, c_char_p, POINTER(OciOptions), _pp]),
    "nfd_oci_remove_artifact": (c_int, [_ctx, c_char_p, c_char_p, POINTER(OciOptions), _pp]),
}

for _name, (_res, _args) in _PROTOS.items():
    try:
        _fn = getattr(lib, _name)
    except AttributeError:  # an older library: calling it raises AttributeError
        continue
    _fn.restype = _res
    _fn.argtypes = _args


class CtxRef:
    """Owns one reference to a ``struct nfd_ctx``; objects keep it alive.

    ``log_fn`` keeps a Python log hook's C trampoline alive for as long as
    the context can call it.
    """

    __slots__ = ("ptr", "log_fn", "__weakref__")

    def __init__(self, ptr: int):
        self.ptr = ptr
        self.log_fn = None

    def __del__(self):
        if getattr(self, "ptr", None):
            if self.log_fn is not None:
                # C objects may keep the context beyond this wrapper: stop
                # them from calling into a freed trampoline.
                lib.nfd_ctx_set_log_fn(self.ptr, LOG_FN(), None)
            lib.nfd_ctx_unref(self.ptr)
            self.ptr = None


def new_ctx() -> CtxRef:
    """A fresh context, or Error(ENOMEM)."""
    p = lib.nfd_ctx_new()
    if not p:
        raise Error(ctypes.get_errno() or 12, "cannot create a libnfd context")
    return CtxRef(p)


_tls = threading.local()


def thread_ctx() -> CtxRef:
    """This thread's default context (a context belongs to one thread)."""
    c = getattr(_tls, "ctx", None)
    if c is None:
        c = new_ctx()
        _tls.ctx = c
    return c
