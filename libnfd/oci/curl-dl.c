/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* See curl-dl.h: libcurl is opened when the registry client first needs it. */
#define CURL_DISABLE_TYPECHECK
#define NFD_CURL_DL_IMPLEMENTATION
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>

#include "libnfd/oci/curl-dl.h"

/* the SONAME of the libcurl we were built against */
#define LIBCURL_SONAME "libcurl.so.4"

struct nfd_curl_api nfd__curl;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static int load_result;
static char load_msg[512];

static void *sym(void *handle, const char *name, int *missing)
{
	void *p = dlsym(handle, name);

	if (!p && !*missing) {
		snprintf(load_msg, sizeof(load_msg), "%s has no %s: too old", LIBCURL_SONAME, name);
		*missing = 1;
	}
	return p;
}

static void load(void)
{
	void *h = dlopen(LIBCURL_SONAME, RTLD_NOW | RTLD_LOCAL);
	int missing = 0;

	if (!h) {
		snprintf(load_msg, sizeof(load_msg),
			 "the registry client needs %s, which cannot be loaded: %s", LIBCURL_SONAME,
			 dlerror());
		load_result = -ENOTSUP;
		return;
	}
	/* the casts go through void * as POSIX allows for dlsym */
#define LOAD(field, name) *(void **)&nfd__curl.field = sym(h, name, &missing)
	LOAD(global_init, "curl_global_init");
	LOAD(easy_init, "curl_easy_init");
	LOAD(easy_setopt, "curl_easy_setopt");
	LOAD(easy_perform, "curl_easy_perform");
	LOAD(easy_getinfo, "curl_easy_getinfo");
	LOAD(easy_reset, "curl_easy_reset");
	LOAD(easy_cleanup, "curl_easy_cleanup");
	LOAD(easy_strerror, "curl_easy_strerror");
	LOAD(free, "curl_free");
	LOAD(slist_append, "curl_slist_append");
	LOAD(slist_free_all, "curl_slist_free_all");
	LOAD(url, "curl_url");
	LOAD(url_cleanup, "curl_url_cleanup");
	LOAD(url_get, "curl_url_get");
	LOAD(url_set, "curl_url_set");
	LOAD(version_info, "curl_version_info");
#undef LOAD
	/* the handle stays open for the life of the process, as a linked library would */
	load_result = missing ? -ENOTSUP : 0;
}

int nfd__curl_load(const char **ret_msg)
{
	pthread_once(&load_once, load);
	if (load_result < 0 && ret_msg)
		*ret_msg = load_msg;
	return load_result;
}
