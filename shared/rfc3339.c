/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* See rfc3339.h; the Go side is time/format.go and time/format_rfc3339.go. */
#include <errno.h>
#include <stdbool.h>

#include "shared/rfc3339.h"

static bool digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Exactly n digits (Go's fixed-width getnum and year). */
static bool fixed(const char **p, int n, int *ret)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!digit((*p)[i]))
			return false;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*ret = v;
	return true;
}

static bool lit(const char **p, char c)
{
	if (**p != c)
		return false;
	(*p)++;
	return true;
}

static int days_in(int mon, int year)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return mdays[mon - 1] + (mon == 2 && leap);
}

int parse_rfc3339(const char *s, int64_t *ret_sec, long *ret_nsec)
{
	int year, mon, day, hour, min, sec, oh = 0, om = 0, sign = 0;
	const char *p = s;
	long nsec = 0;

	if (!s || !fixed(&p, 4, &year) || !lit(&p, '-') || !fixed(&p, 2, &mon) || mon < 1 ||
	    mon > 12 || !lit(&p, '-') || !fixed(&p, 2, &day) || day < 1 ||
	    day > days_in(mon, year) || !lit(&p, 'T'))
		return -EINVAL;
	/* the hour ("15" in Go's layout) takes one or two digits */
	if (!digit(*p))
		return -EINVAL;
	hour = *p++ - '0';
	if (digit(*p))
		hour = hour * 10 + (*p++ - '0');
	if (hour > 23 || !lit(&p, ':') || !fixed(&p, 2, &min) || min > 59 || !lit(&p, ':') ||
	    !fixed(&p, 2, &sec) || sec > 59)
		return -EINVAL;
	if ((*p == '.' || *p == ',') && digit(p[1])) {
		long scale = 100000000;

		for (p++; digit(*p); p++) {
			nsec += (*p - '0') * scale;
			scale /= 10;
		}
	}
	if (lit(&p, 'Z')) {
		sign = 0;
	} else if (*p == '+' || *p == '-') {
		sign = *p++ == '-' ? -1 : 1;
		if (!fixed(&p, 2, &oh) || !lit(&p, ':') || !fixed(&p, 2, &om) || oh > 24 || om > 60)
			return -EINVAL;
	} else {
		return -EINVAL;
	}
	if (*p != '\0')
		return -EINVAL;
	if (ret_sec)
		*ret_sec = days_from_civil(year, mon, day) * 86400 + hour * 3600 + min * 60 + sec -
			   sign * (oh * 3600 + om * 60);
	if (ret_nsec)
		*ret_nsec = nsec;
	return 0;
}

long long days_from_civil(long long y, int m, int d)
{
	/* Howard Hinnant's algorithm; avoids timegm()'s dependence on TZ */
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}
