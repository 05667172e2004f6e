/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The public headers must compile on their own as C99 -pedantic (and, from
 * headertest.cc, as C++). */
#include <nfd/nfd.h>

int main(void)
{
	struct nfd_oci_options o = NFD_OCI_OPTIONS_INIT;
	struct nfd_ctx *ctx = NULL;

	nfd_ctx_unrefp(&ctx);
	return o.version == NFD_OCI_OPTIONS_VERSION && NFD_VERSION_CHECK(0, 1, 0) ? 0 : 1;
}
