/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * OpenSSL's libcrypto, opened on first use.  Only OCI digests and registry
 * credentials need it (SHA-256, base64), yet linking it cost every user of
 * libnfd, and every `nfd export features`, about 1 ms of relocations at
 * start-up.  Include this after <openssl/evp.h> in the files that call
 * libcrypto, and call nfd__crypto_load() first: the EVP_* names below then
 * go through the loaded table.
 */
#pragma once

#include <openssl/evp.h>

struct nfd_crypto_api {
	int (*digest)(const void *data, size_t count, unsigned char *md, unsigned int *size,
		      const EVP_MD *type, ENGINE *impl);
	const EVP_MD *(*sha256)(void);
	const EVP_MD *(*sha1)(void);   /* templates' sha1sum */
	const EVP_MD *(*sha512)(void); /* templates' sha512sum */
	int (*encode_block)(unsigned char *t, const unsigned char *f, int n);
	int (*decode_block)(unsigned char *t, const unsigned char *f, int n);
};

extern struct nfd_crypto_api nfd__crypto;

/*
 * Load libcrypto once per process (thread-safe) and fill nfd__crypto.
 * Returns 0, or -ENOTSUP with a static message in *ret_msg (may be NULL).
 */
int nfd__crypto_load(const char **ret_msg);

#ifndef NFD_CRYPTO_DL_IMPLEMENTATION
#define EVP_Digest	nfd__crypto.digest
#define EVP_sha256	nfd__crypto.sha256
#define EVP_sha1	nfd__crypto.sha1
#define EVP_sha512	nfd__crypto.sha512
#define EVP_EncodeBlock nfd__crypto.encode_block
#define EVP_DecodeBlock nfd__crypto.decode_block
#endif
