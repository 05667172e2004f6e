/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* See crypto-dl.h: libcrypto is opened when a digest or base64 is first needed. */
#define NFD_CRYPTO_DL_IMPLEMENTATION
#include <openssl/opensslv.h>

#include "libnfd/oci/crypto-dl.h"
#include "libnfd/dl.h"

/* the SONAME of the libcrypto we were built against */
#define STR_(x) #x
#define STR(x)	STR_(x)
#ifdef OPENSSL_SHLIB_VERSION
#define LIBCRYPTO_SONAME "libcrypto.so." STR(OPENSSL_SHLIB_VERSION)
#else
#define LIBCRYPTO_SONAME "libcrypto.so." SHLIB_VERSION_NUMBER
#endif

struct nfd_crypto_api nfd__crypto;

static const struct nfd_dl_sym syms[] = {
	{"EVP_Digest", (void **)&nfd__crypto.digest},
	{"EVP_sha256", (void **)&nfd__crypto.sha256},
	{"EVP_sha1", (void **)&nfd__crypto.sha1},
	{"EVP_sha512", (void **)&nfd__crypto.sha512},
	{"EVP_EncodeBlock", (void **)&nfd__crypto.encode_block},
	{"EVP_DecodeBlock", (void **)&nfd__crypto.decode_block},
};

static struct nfd_dl_lib lib = {LIBCRYPTO_SONAME, syms, sizeof(syms) / sizeof(syms[0])};

int nfd__crypto_load(const char **ret_msg)
{
	return nfd__dl_load(&lib, ret_msg);
}
