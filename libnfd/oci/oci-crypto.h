/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libcrypto for the rest of libnfd (oci-crypto.c opens it on first use);
 * the OCI client's own uses are declared in oci-internal.h and oci-auth.h.
 */
#pragma once

#include <stddef.h>

/* Hex digits of a SHA-1, SHA-2 up to 512 bits: room for SHA-512's and a NUL. */
#define NFD_HEX_DIGEST_MAX (2 * 64 + 1)

/*
 * The lowercase hex digest of buf[0..len): SHA-1 (bits 1), SHA-256 (256) or
 * SHA-512 (512), into out (of out_size bytes, NFD_HEX_DIGEST_MAX is enough).
 * 0, or -errno with *ret_msg (static) saying why: -ENOTSUP when libcrypto
 * cannot be loaded, -EINVAL for another bits, -EIO when libcrypto fails.
 */
int nfd__crypto_hex_digest(int bits, const void *buf, size_t len, char *out, size_t out_size,
			   const char **ret_msg);
