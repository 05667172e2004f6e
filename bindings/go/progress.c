/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The OCI progress hook's C side: the library calls nfd_go_progress, which
 * asks goNfdProgress (oci_context.go) whether the caller's context.Context
 * is done; a non-zero answer cancels the transfer (-ECANCELED).
 */
#include <stdint.h>

#include <nfd/nfd.h>

#include "_cgo_export.h"

static int nfd_go_progress(void *userdata, unsigned long long done, unsigned long long total)
{
	return goNfdProgress((uintptr_t)userdata, done, total);
}

void nfd_go_set_progress(struct nfd_oci_options *o, uintptr_t handle)
{
	o->progress = handle ? nfd_go_progress : NULL;
	o->userdata = (void *)handle;
}
