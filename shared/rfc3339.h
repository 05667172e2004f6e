/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdint.h>

/*
 * Go's time.Parse(time.RFC3339, s), the one parser of timestamps: the local
 * source's "# +expiry-time=" directives and the OCI "created" annotations.
 * Go accepts what its fast RFC 3339 path accepts and, failing that, what its
 * general layout parser accepts for "2006-01-02T15:04:05Z07:00":
 *
 *	YYYY-MM-DD  4-digit year, 2-digit month 01-12, 2-digit day valid for
 *	            the month (leap years included)
 *	T           upper case only
 *	hh:mm:ss    hour 0-23 in one or two digits, minute and second 00-59
 *	            (no leap second)
 *	.frac       optional, '.' or ',' and one or more digits; nanoseconds
 *	            from the first nine
 *	Z | ±hh:mm  upper-case Z, or an offset of up to 24 hours and 60 minutes
 *
 * and nothing after.  Stores the seconds since the epoch (UTC) and the
 * nanoseconds (either pointer may be NULL); 0 or -EINVAL.
 */
int parse_rfc3339(const char *s, int64_t *ret_sec, long *ret_nsec);

/* Days since 1970-01-01 of a proleptic Gregorian date (month 1..12). */
long long days_from_civil(long long y, int m, int d);
