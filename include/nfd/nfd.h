/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libnfd — node feature discovery and container-image compatibility checks.
 *
 * Conventions that hold for every function in these headers:
 *
 * Objects.  All objects are opaque and reference counted.  nfd_X_ref() takes
 * a reference, nfd_X_unref() drops one and returns NULL; both accept NULL.
 * Every object made from a context holds a reference to it, so objects may be
 * released in any order.
 *
 * Errors.  A fallible call returns 0 (or a count >= 0) on success and a
 * negative errno value on failure.  Outputs come last, are named ret, and are
 * left untouched on failure.  The message for the last failure on a context is
 * nfd_ctx_last_error(); it is never NULL.  An incompatible host is a result,
 * not an error.
 *
 * Ownership.  *_new, *_parse*, nfd_discover*, nfd_evaluate and nfd_oci_fetch*
 * give the caller one reference.  "const char *" and "const struct ... *"
 * results are borrowed from the object that returned them and stay valid until
 * that object is released.  "char **ret" strings belong to the caller, who
 * frees them with free(3).
 *
 * Threads.  A context belongs to one thread at a time.  A finished
 * nfd_features, nfd_spec or nfd_report is immutable and may be shared
 * read-only between threads (the reference counts are atomic); evaluate from
 * several threads by giving each its own context.
 *
 * Booleans cross the ABI as int (1 or 0).
 */
#ifndef NFD_NFD_H
#define NFD_NFD_H

#include <nfd/common.h>
#include <nfd/version.h>
#include <nfd/ctx.h>
#include <nfd/iter.h>
#include <nfd/features.h>
#include <nfd/spec.h>
#include <nfd/report.h>
#include <nfd/nodes.h>
#include <nfd/oci.h>
#include <nfd/rules.h>
#include <nfd/hook.h>

#endif
