/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <nfd/nfd.h>

int main()
{
	struct nfd_oci_options o = NFD_OCI_OPTIONS_INIT;
	struct nfd_features *f = nullptr;

	nfd_features_unrefp(&f);
	return o.version == NFD_OCI_OPTIONS_VERSION ? 0 : 1;
}
