/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Public enumerators keep their values (doc/abi.md §1): the values of
 * release 0.1.0, checked at compile time.  abidiff (tests/check-abi.sh) sees
 * only the enums that exported functions take; this sees them all.  New
 * enumerators are appended here when a release adds them.
 */
#include <nfd/nfd.h>

#define KEEP(name, value) _Static_assert((long long)(name) == (value), #name " changed value")

KEEP(NFD_PATH_SYS, 0);
KEEP(NFD_PATH_PROC, 1);
KEEP(NFD_PATH_ETC, 2);
KEEP(NFD_PATH_BOOT, 3);
KEEP(NFD_PATH_LIB, 4);
KEEP(NFD_PATH_USR, 5);
KEEP(NFD_PATH_VAR, 6);
KEEP(_NFD_PATH_PAD, 0x7fffffff);
KEEP(NFD_FEATURE_FLAG, 1);
KEEP(NFD_FEATURE_ATTRIBUTE, 2);
KEEP(NFD_FEATURE_INSTANCE, 4);
KEEP(_NFD_FEATURE_TYPE_PAD, 0x7fffffff);
KEEP(NFD_JSON_COMPACT, 1);
KEEP(NFD_JSON_NO_NEWLINE, 2);
KEEP(_NFD_JSON_PAD, 0x7fffffff);
KEEP(NFD_REPORT_JSON, 0);
KEEP(NFD_REPORT_TEXT, 1);
KEEP(_NFD_REPORT_FORMAT_PAD, 0x7fffffff);
KEEP(NFD_REPORT_COLOR, 1);
KEEP(NFD_REPORT_NFD_ONLY, 2);
KEEP(_NFD_REPORT_FLAGS_PAD, 0x7fffffff);
_Static_assert(NFD_OCI_OPTIONS_VERSION >= 1, "options versions only grow");

int main(void)
{
	return 0;
}
