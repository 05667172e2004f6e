/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libcurl, opened on first use.  Linking it would cost every user of libnfd
 * (and every `nfd export features`) about 5 ms at start-up for TLS stacks it
 * never touches; only the registry client needs it.  Include this after
 * <curl/curl.h>, with CURL_DISABLE_TYPECHECK defined, in the one file that
 * calls curl: the curl_* names below then go through the loaded table.
 */
#pragma once

#include <curl/curl.h>

struct nfd_curl_api {
	CURLcode (*global_init)(long flags);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *curl, CURLoption option, ...);
	CURLcode (*easy_perform)(CURL *curl);
	CURLcode (*easy_getinfo)(CURL *curl, CURLINFO info, ...);
	void (*easy_reset)(CURL *curl);
	void (*easy_cleanup)(CURL *curl);
	const char *(*easy_strerror)(CURLcode code);
	void (*free)(void *p);
	struct curl_slist *(*slist_append)(struct curl_slist *list, const char *s);
	void (*slist_free_all)(struct curl_slist *list);
	CURLU *(*url)(void);
	void (*url_cleanup)(CURLU *u);
	CURLUcode (*url_get)(const CURLU *u, CURLUPart what, char **part, unsigned int flags);
	CURLUcode (*url_set)(CURLU *u, CURLUPart what, const char *part, unsigned int flags);
	curl_version_info_data *(*version_info)(CURLversion age);
};

extern struct nfd_curl_api nfd__curl;

/*
 * Load libcurl once per process (thread-safe) and fill nfd__curl.
 * Returns 0, or -ENOTSUP with a static message in *ret_msg.
 */
int nfd__curl_load(const char **ret_msg);

#ifndef NFD_CURL_DL_IMPLEMENTATION
/* curl.h wraps these two in argument-count macros */
#undef curl_easy_setopt
#undef curl_easy_getinfo
#define curl_global_init    nfd__curl.global_init
#define curl_easy_init	    nfd__curl.easy_init
#define curl_easy_setopt    nfd__curl.easy_setopt
#define curl_easy_perform   nfd__curl.easy_perform
#define curl_easy_getinfo   nfd__curl.easy_getinfo
#define curl_easy_reset	    nfd__curl.easy_reset
#define curl_easy_cleanup   nfd__curl.easy_cleanup
#define curl_easy_strerror  nfd__curl.easy_strerror
#define curl_free	    nfd__curl.free
#define curl_slist_append   nfd__curl.slist_append
#define curl_slist_free_all nfd__curl.slist_free_all
#define curl_url	    nfd__curl.url
#define curl_url_cleanup    nfd__curl.url_cleanup
#define curl_url_get	    nfd__curl.url_get
#define curl_url_set	    nfd__curl.url_set
#define curl_version_info   nfd__curl.version_info
#endif
