// SPDX-License-Identifier: LGPL-2.1-or-later
/* See crypto-dl.h: libcrypto is opened when a digest or base64 is first needed. */
#define NFD_CRYPTO_DL_IMPLEMENTATION
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>

#include <openssl/opensslv.h>

#include "libnfd/crypto-dl.h"

/* the SONAME of the libcrypto we were built against */
#define STR_(x) #x
#define STR(x) STR_(x)
#ifdef OPENSSL_SHLIB_VERSION
#define LIBCRYPTO_SONAME "libcrypto.so." STR(OPENSSL_SHLIB_VERSION)
#else
#define LIBCRYPTO_SONAME "libcrypto.so." SHLIB_VERSION_NUMBER
#endif

struct nfd_crypto_api nfd__crypto;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static int load_result;
static char load_msg[512];

static void load(void)
{
	void *h = dlopen(LIBCRYPTO_SONAME, RTLD_NOW | RTLD_LOCAL);
	const char *missing = NULL;

	if (!h) {
		snprintf(load_msg, sizeof(load_msg), "%s cannot be loaded: %s", LIBCRYPTO_SONAME,
			 dlerror());
		load_result = -ENOTSUP;
		return;
	}
	/* the casts go through void * as POSIX allows for dlsym */
#define LOAD(field, name)                                          \
	do {                                                       \
		*(void **)&nfd__crypto.field = dlsym(h, name);     \
		if (!nfd__crypto.field && !missing)                \
			missing = name;                            \
	} while (0)
	LOAD(digest, "EVP_Digest");
	LOAD(sha256, "EVP_sha256");
	LOAD(encode_block, "EVP_EncodeBlock");
	LOAD(decode_block, "EVP_DecodeBlock");
#undef LOAD
	if (missing) {
		snprintf(load_msg, sizeof(load_msg), "%s has no %s", LIBCRYPTO_SONAME, missing);
		load_result = -ENOTSUP;
		return;
	}
	/* the handle stays open for the life of the process, as a linked library would */
	load_result = 0;
}

int nfd__crypto_load(const char **ret_msg)
{
	pthread_once(&load_once, load);
	if (load_result < 0 && ret_msg)
		*ret_msg = load_msg;
	return load_result;
}
