/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libnfd's uses of OpenSSL's libcrypto, in one place: the OCI client's
 * SHA-256 digests and base64 (registry credentials), and the templates'
 * sha1sum, sha256sum and sha512sum.  libcrypto is opened on first use:
 * linking it cost every user of libnfd, and every `nfd export features`,
 * about 1 ms of relocations at start-up.
 */
#include <errno.h>
#include <openssl/evp.h>
#include <openssl/opensslv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libnfd/dl.h"
#include "libnfd/oci/oci-crypto.h"
#include "libnfd/oci/oci-auth.h"
#include "libnfd/oci/oci-internal.h"

/* the SONAME of the libcrypto we were built against */
#ifdef OPENSSL_SHLIB_VERSION
#define LIBCRYPTO_SONAME "libcrypto.so." NFD_DL_STR(OPENSSL_SHLIB_VERSION)
#else
#define LIBCRYPTO_SONAME "libcrypto.so." SHLIB_VERSION_NUMBER
#endif

NFD_DLSYM(EVP_Digest);
NFD_DLSYM(EVP_sha256);
NFD_DLSYM(EVP_sha1);
NFD_DLSYM(EVP_sha512);
NFD_DLSYM(EVP_EncodeBlock);
NFD_DLSYM(EVP_DecodeBlock);

static int load_libcrypto(const char **ret_msg)
{
	return NFD_DLOPEN(
		ret_msg, "crypto", "OCI digests, registry credentials, template checksums",
		NFD_DLOPEN_RECOMMENDED, LIBCRYPTO_SONAME, NFD_DLSYM_ARG(EVP_Digest),
		NFD_DLSYM_ARG(EVP_sha256), NFD_DLSYM_ARG(EVP_sha1), NFD_DLSYM_ARG(EVP_sha512),
		NFD_DLSYM_ARG(EVP_EncodeBlock), NFD_DLSYM_ARG(EVP_DecodeBlock));
}

char *nfd__oci_base64_encode(const void *buf, size_t len)
{
	char *out;

	if (load_libcrypto(NULL) < 0)
		return NULL;
	out = malloc(4 * ((len + 2) / 3) + 1);
	if (!out)
		return NULL;
	sym_EVP_EncodeBlock((unsigned char *)out, buf, (int)len);
	return out;
}

int nfd__oci_base64_decode(const char *s, char **ret, size_t *ret_len)
{
	size_t n = strlen(s), pad = 0;
	unsigned char *out;
	int len;

	if (n % 4 != 0 || n > 64 * 1024)
		return -EINVAL;
	if (load_libcrypto(NULL) < 0)
		return -ENOTSUP;
	out = malloc(n / 4 * 3 + 1);
	if (!out)
		return -ENOMEM;
	len = sym_EVP_DecodeBlock(out, (const unsigned char *)s, (int)n);
	if (len < 0) {
		free(out);
		return -EINVAL;
	}
	/* EVP_DecodeBlock counts padding as zero bytes */
	while (n > 0 && s[n - 1] == '=' && pad < 2)
		n--, pad++;
	len -= (int)pad;
	out[len] = '\0';
	*ret = (char *)out;
	*ret_len = (size_t)len;
	return 0;
}

int nfd__oci_sha256_digest(const void *buf, size_t len, char out[OCI_DIGEST_MAX])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	if (load_libcrypto(NULL) < 0)
		return -ENOTSUP;
	if (!sym_EVP_Digest(buf, len, md, &mdlen, sym_EVP_sha256(), NULL) || mdlen != 32)
		return -EIO;
	memcpy(out, "sha256:", 7);
	for (unsigned int i = 0; i < mdlen; i++)
		snprintf(out + 7 + 2 * i, 3, "%02x", md[i]);
	return 0;
}

int nfd__crypto_hex_digest(int bits, const void *buf, size_t len, char *out, size_t out_size,
			   const char **ret_msg)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	int r;

	if (bits != 1 && bits != 256 && bits != 512) {
		*ret_msg = "unknown digest";
		return -EINVAL;
	}
	r = load_libcrypto(ret_msg);
	if (r < 0)
		return r;
	if (!sym_EVP_Digest(buf, len, md, &mdlen,
			    bits == 1	  ? sym_EVP_sha1()
			    : bits == 256 ? sym_EVP_sha256()
					  : sym_EVP_sha512(),
			    NULL)) {
		*ret_msg = "digest failed";
		return -EIO;
	}
	if (out_size < 2 * (size_t)mdlen + 1) {
		*ret_msg = "digest buffer too small";
		return -ENOBUFS;
	}
	for (unsigned int i = 0; i < mdlen; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	out[2 * mdlen] = '\0';
	return 0;
}
