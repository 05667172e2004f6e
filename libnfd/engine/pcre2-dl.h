/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * PCRE2 (8-bit), opened on first use (see dl.h): only InRegexp expressions
 * need it, not discovery or `nfd export features`.  Include this after
 * <pcre2.h> in the one file that calls PCRE2, and call nfd__pcre2_load()
 * first: the pcre2_* names below then go through the loaded table.
 */
#pragma once

#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif
#include <pcre2.h>

struct nfd_pcre2_api {
	pcre2_code *(*compile)(PCRE2_SPTR pattern, PCRE2_SIZE length, uint32_t options,
			       int *errcode, PCRE2_SIZE *erroffset,
			       pcre2_compile_context *ccontext);
	void (*code_free)(pcre2_code *code);
	int (*get_error_message)(int errcode, PCRE2_UCHAR *buffer, PCRE2_SIZE bufflen);
	int (*jit_compile)(pcre2_code *code, uint32_t options);
	pcre2_match_context *(*match_context_create)(pcre2_general_context *gcontext);
	void (*match_context_free)(pcre2_match_context *mcontext);
	int (*set_match_limit)(pcre2_match_context *mcontext, uint32_t value);
	int (*set_depth_limit)(pcre2_match_context *mcontext, uint32_t value);
	pcre2_match_data *(*match_data_create)(uint32_t ovecsize, pcre2_general_context *gcontext);
	void (*match_data_free)(pcre2_match_data *match_data);
	int (*match)(const pcre2_code *code, PCRE2_SPTR subject, PCRE2_SIZE length,
		     PCRE2_SIZE startoffset, uint32_t options, pcre2_match_data *match_data,
		     pcre2_match_context *mcontext);
	PCRE2_SIZE *(*get_ovector_pointer)(pcre2_match_data *match_data);
	uint32_t (*get_ovector_count)(pcre2_match_data *match_data);
};

extern struct nfd_pcre2_api nfd__pcre2;

/*
 * Load libpcre2-8 once per process (thread-safe) and fill nfd__pcre2.
 * Returns 0, or -ENOTSUP with a static message in *ret_msg (may be NULL).
 */
int nfd__pcre2_load(const char **ret_msg);

#ifndef NFD_PCRE2_DL_IMPLEMENTATION
#undef pcre2_compile
#undef pcre2_code_free
#undef pcre2_get_error_message
#undef pcre2_jit_compile
#undef pcre2_match_context_create
#undef pcre2_match_context_free
#undef pcre2_set_match_limit
#undef pcre2_set_depth_limit
#undef pcre2_match_data_create
#undef pcre2_match_data_free
#undef pcre2_match
#undef pcre2_get_ovector_pointer
#undef pcre2_get_ovector_count
#define pcre2_compile		   nfd__pcre2.compile
#define pcre2_code_free		   nfd__pcre2.code_free
#define pcre2_get_error_message	   nfd__pcre2.get_error_message
#define pcre2_jit_compile	   nfd__pcre2.jit_compile
#define pcre2_match_context_create nfd__pcre2.match_context_create
#define pcre2_match_context_free   nfd__pcre2.match_context_free
#define pcre2_set_match_limit	   nfd__pcre2.set_match_limit
#define pcre2_set_depth_limit	   nfd__pcre2.set_depth_limit
#define pcre2_match_data_create	   nfd__pcre2.match_data_create
#define pcre2_match_data_free	   nfd__pcre2.match_data_free
#define pcre2_match		   nfd__pcre2.match
#define pcre2_get_ovector_pointer  nfd__pcre2.get_ovector_pointer
#define pcre2_get_ovector_count	   nfd__pcre2.get_ovector_count
#endif
