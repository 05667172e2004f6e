# SPDX-License-Identifier: LGPL-2.1-or-later
"""Fetching and attaching specs in OCI registries and layouts."""

from __future__ import annotations

import json
import os
from ctypes import byref, c_size_t, c_void_p, string_at
from dataclasses import dataclass
from typing import List, Optional, Union

from ._lib import (NFD_OCI_OPTIONS_VERSION, OciOptions, check, dec, enc, lib, take_bytes,
                   take_string)
from .context import Context, StrPath, resolve_ctx
from .spec import Spec

__all__ = ["fetch_spec", "fetch_spec_data", "attach_spec", "has_registry", "fetch",
           "Artifact", "list_artifacts", "remove_artifact"]


def has_registry() -> bool:
    """True when the library was built with the registry client (libssl).

    OCI layouts (``oci:PATH``) work either way.
    """
    return bool(lib.nfd_oci_has_registry())


def _options(platform, plain_http, username, password, token, auth_file, ca_file,
             timeout_ms, max_spec_size, artifact_digest=None) -> OciOptions:
    o = OciOptions()
    check(lib.nfd_oci_options_init(byref(o), NFD_OCI_OPTIONS_VERSION))
    o.platform = enc(platform)
    o.plain_http = 1 if plain_http else 0
    o.username = enc(username)
    o.password = enc(password)
    o.token = enc(token)
    o.auth_file = enc(os.fspath(auth_file)) if auth_file is not None else None
    o.ca_file = enc(os.fspath(ca_file)) if ca_file is not None else None
    o.timeout_ms = int(timeout_ms)
    o.max_spec_size = int(max_spec_size)
    o.artifact_digest = enc(artifact_digest)
    return o


_CONNECTION_DOC = """\
:param platform: ``os[/arch[/variant]][:os_version]``; None: this host's
:param plain_http: talk HTTP instead of HTTPS
:param username: user for basic authentication (with password)
:param password: password for basic authentication
:param token: a bearer or identity token
:param auth_file: a docker/podman auth file (None: the usual places)
:param ca_file: extra trusted CA certificates (PEM)
:param timeout_ms: per-request timeout (0: 30 s)"""


def _connection_doc(f):
    """Write the connection options' ``:param`` lines where f's docstring has
    a ``{connection}`` line (every function here takes the same ones)."""
    if f.__doc__:
        out = []
        for line in f.__doc__.split("\n"):
            if line.strip() == "{connection}":
                indent = line[:len(line) - len(line.lstrip())]
                out.extend(indent + d for d in _CONNECTION_DOC.split("\n"))
            else:
                out.append(line)
        f.__doc__ = "\n".join(out)
    return f


@_connection_doc
def fetch_spec_data(image_ref: str, platform: Optional[str] = None, plain_http: bool = False,
                    username: Optional[str] = None, password: Optional[str] = None,
                    token: Optional[str] = None, auth_file: Optional[StrPath] = None,
                    ca_file: Optional[StrPath] = None, timeout_ms: int = 0,
                    max_spec_size: int = 0, ctx: Optional[Context] = None) -> bytes:
    """The newest compatibility spec attached to an image, unparsed.

    :param image_ref: as for :func:`fetch_spec`
    {connection}
    :param max_spec_size: the largest spec accepted (0: 4 MiB)
    :param ctx: the context to use (default: this thread's)
    :returns: the spec's bytes
    :raises nfd.Error: as :func:`fetch_spec`
    """
    o = _options(platform, plain_http, username, password, token, auth_file, ca_file,
                 timeout_ms, max_spec_size)
    c = resolve_ctx(ctx)
    buf, n = c_void_p(), c_size_t()
    check(lib.nfd_oci_fetch_spec_data(c.ptr, enc(image_ref), byref(o), byref(buf), byref(n)),
          c.ptr)
    return take_bytes(buf.value, n.value)


@_connection_doc
def fetch_spec(image_ref: str, platform: Optional[str] = None, plain_http: bool = False,
               username: Optional[str] = None, password: Optional[str] = None,
               token: Optional[str] = None, auth_file: Optional[StrPath] = None,
               ca_file: Optional[StrPath] = None, timeout_ms: int = 0,
               max_spec_size: int = 0, ctx: Optional[Context] = None) -> Spec:
    """Fetch and parse the newest compatibility spec attached to an image.

    :param image_ref: ``registry/repo[:tag][@digest]``, or an OCI layout as
        ``oci:PATH[:TAG|@DIGEST]`` / ``oci-layout://PATH[:TAG|@DIGEST]``
    {connection}
    :param max_spec_size: the largest spec accepted (0: 4 MiB)
    :param ctx: the context to use (default: this thread's)
    :returns: the parsed spec
    :raises nfd.Error: ENOENT (image or artifact not found; use
        :func:`fetch` to tell a missing artifact apart), EACCES
        (authentication), EPROTO, EBADMSG, ETIMEDOUT, ECONNREFUSED, ENOTSUP
        (no registry client in this build), ...
    """
    o = _options(platform, plain_http, username, password, token, auth_file, ca_file,
                 timeout_ms, max_spec_size)
    c = resolve_ctx(ctx)
    out = c_void_p()
    check(lib.nfd_oci_fetch_spec(c.ptr, enc(image_ref), byref(o), byref(out)), c.ptr)
    return Spec._wrap(out.value, c)


@_connection_doc
def attach_spec(image_ref: str, spec: Union[str, bytes], platform: Optional[str] = None,
                plain_http: bool = False, username: Optional[str] = None,
                password: Optional[str] = None, token: Optional[str] = None,
                auth_file: Optional[StrPath] = None, ca_file: Optional[StrPath] = None,
                timeout_ms: int = 0, ctx: Optional[Context] = None) -> str:
    """Push a spec (validated first) as a referrer artifact of an image.

    :param image_ref: as for :func:`fetch_spec`
    :param spec: the spec's text
    {connection}
    :param ctx: the context to use (default: this thread's)
    :returns: the artifact manifest's digest (``sha256:...``)
    :raises nfd.Error: EBADMSG for an invalid spec, else as :func:`fetch_spec`
    """
    buf = spec if isinstance(spec, bytes) else spec.encode("utf-8")
    o = _options(platform, plain_http, username, password, token, auth_file, ca_file,
                 timeout_ms, 0)
    c = resolve_ctx(ctx)
    out = c_void_p()
    check(lib.nfd_oci_attach_spec(c.ptr, enc(image_ref), buf, len(buf), byref(o), byref(out)),
          c.ptr)
    return take_string(out.value) if out.value else ""


@dataclass(frozen=True)
class Artifact:
    """A compatibility artifact fetched by :func:`fetch`.

    :ivar image_ref: the reference that was fetched.
    :ivar image_digest: the image manifest the reference resolved to (the
        platform's manifest when it names an index).
    :ivar index_digest: the image index the reference named, or ``None``.
    :ivar subject_digest: what the artifact refers to (the image manifest, or
        the index when only the index has one).
    :ivar digest: the artifact manifest's digest.
    :ivar spec_digest: the digest of the spec bytes.
    :ivar created: its ``org.opencontainers.image.created``, or ``None``.
    :ivar data: the spec's bytes.
    """

    image_ref: str
    image_digest: str
    index_digest: Optional[str]
    subject_digest: str
    digest: str
    spec_digest: str
    created: Optional[str]
    data: bytes

    def spec(self, ctx: Optional[Context] = None) -> Spec:
        """Parse :attr:`data`.

        :param ctx: the context to use (default: this thread's)
        :returns: the spec
        :raises nfd.Error: as :meth:`nfd.Spec.from_string`
        """
        return Spec.from_string(self.data, name=self.image_ref, ctx=ctx)


@_connection_doc
def fetch(image_ref: str, platform: Optional[str] = None, plain_http: bool = False,
          username: Optional[str] = None, password: Optional[str] = None,
          token: Optional[str] = None, auth_file: Optional[StrPath] = None,
          ca_file: Optional[StrPath] = None, timeout_ms: int = 0, max_spec_size: int = 0,
          artifact_digest: Optional[str] = None, ctx: Optional[Context] = None) -> Artifact:
    """Fetch the compatibility artifact of an image, with its digests.

    :param image_ref: as for :func:`fetch_spec`
    {connection}
    :param max_spec_size: the largest spec accepted (0: 4 MiB)
    :param artifact_digest: one artifact (see :func:`list_artifacts`)
        instead of the newest
    :param ctx: the context to use (default: this thread's)
    :returns: the artifact, its spec and digests
    :raises nfd.NoArtifact: the image has no compatibility artifact attached.
    :raises FileNotFoundError: the image, tag or platform does not exist
        (an :class:`nfd.Error` too).
    :raises nfd.Error: any other failure (``errno`` says which).
    """
    o = _options(platform, plain_http, username, password, token, auth_file, ca_file,
                 timeout_ms, max_spec_size, artifact_digest)
    c = resolve_ctx(ctx)
    out = c_void_p()
    check(lib.nfd_oci_fetch(c.ptr, enc(image_ref), byref(o), byref(out)), c.ptr)
    a = out.value
    try:
        n = c_size_t()
        p = lib.nfd_oci_artifact_get_data(a, byref(n))
        return Artifact(
            image_ref=image_ref,
            image_digest=dec(lib.nfd_oci_artifact_get_image_digest(a)),
            index_digest=dec(lib.nfd_oci_artifact_get_index_digest(a)),
            subject_digest=dec(lib.nfd_oci_artifact_get_subject_digest(a)),
            digest=dec(lib.nfd_oci_artifact_get_digest(a)),
            spec_digest=dec(lib.nfd_oci_artifact_get_spec_digest(a)),
            created=dec(lib.nfd_oci_artifact_get_created(a)),
            data=string_at(p, n.value) if p else b"",
        )
    finally:
        lib.nfd_oci_artifact_unref(a)


@_connection_doc
def list_artifacts(image_ref: str, platform: Optional[str] = None, plain_http: bool = False,
                   username: Optional[str] = None, password: Optional[str] = None,
                   token: Optional[str] = None, auth_file: Optional[StrPath] = None,
                   ca_file: Optional[StrPath] = None, timeout_ms: int = 0,
                   ctx: Optional[Context] = None) -> List[dict]:
    """The compatibility artifacts attached to an image, newest first.

    Each is a dict with ``digest``, ``created`` (or ``None``), ``size`` (the
    spec's bytes), ``subject`` and ``chosen`` (the one :func:`fetch` takes).

    :param image_ref: as for :func:`fetch_spec`
    {connection}
    :param ctx: the context to use (default: this thread's)
    :returns: the artifacts; ``[]`` for an image without any
    :raises nfd.Error: as :func:`fetch_spec`
    """
    o = _options(platform, plain_http, username, password, token, auth_file, ca_file,
                 timeout_ms, 0)
    c = resolve_ctx(ctx)
    out = c_void_p()
    check(lib.nfd_oci_list_artifacts(c.ptr, enc(image_ref), byref(o), byref(out)), c.ptr)
    return json.loads(take_string(out.value))


@_connection_doc
def remove_artifact(image_ref: str, digest: Optional[str] = None, plain_http: bool = False,
                    platform: Optional[str] = None, username: Optional[str] = None,
                    password: Optional[str] = None, token: Optional[str] = None,
                    auth_file: Optional[StrPath] = None, ca_file: Optional[StrPath] = None,
                    timeout_ms: int = 0, ctx: Optional[Context] = None) -> str:
    """Delete a compatibility artifact from a registry.

    :param image_ref: as for :func:`fetch_spec`
    :param digest: the artifact to remove; ``None``: the one :func:`fetch`
        takes
    {connection}
    :param ctx: the context to use (default: this thread's)
    :returns: the removed artifact's digest
    :raises nfd.NoArtifact: no (such) artifact is attached
    :raises nfd.Error: as :func:`fetch_spec`
    """
    o = _options(platform, plain_http, username, password, token, auth_file, ca_file,
                 timeout_ms, 0)
    c = resolve_ctx(ctx)
    out = c_void_p()
    check(lib.nfd_oci_remove_artifact(c.ptr, enc(image_ref), enc(digest), byref(o),
                                      byref(out)), c.ptr)
    return take_string(out.value)
