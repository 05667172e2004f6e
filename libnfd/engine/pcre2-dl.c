/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* See pcre2-dl.h: PCRE2 is opened when the first regular expression is compiled. */
#define NFD_PCRE2_DL_IMPLEMENTATION
#include "libnfd/engine/pcre2-dl.h"
#include "libnfd/dl.h"

struct nfd_pcre2_api nfd__pcre2;

/* the 8-bit library's names carry a _8 suffix (<pcre2.h> hides it behind macros) */
#define SYM(field)                                                                                 \
	{                                                                                          \
		"pcre2_" #field "_8", (void **)&nfd__pcre2.field                                   \
	}
static const struct nfd_dl_sym syms[] = {
	SYM(compile),
	SYM(code_free),
	SYM(get_error_message),
	SYM(jit_compile),
	SYM(match_context_create),
	SYM(match_context_free),
	SYM(set_match_limit),
	SYM(set_depth_limit),
	SYM(match_data_create),
	SYM(match_data_free),
	SYM(match),
	SYM(get_ovector_pointer),
	SYM(get_ovector_count),
};

static struct nfd_dl_lib lib = {"libpcre2-8.so.0", syms, sizeof(syms) / sizeof(syms[0])};

int nfd__pcre2_load(const char **ret_msg)
{
	return nfd__dl_load(&lib, ret_msg);
}
