/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * InRegexp patterns: Go RE2 syntax (doc/semantics.md §3.5) on top of PCRE2.
 *
 * PCRE2 accepts a superset of RE2, including the constructs that make
 * backtracking exponential or that RE2 rejects (backreferences, lookaround,
 * atomic groups, possessive quantifiers, recursion, \C ...).  A small scanner
 * walks the pattern first, rejects all of those with RE2's verdict, and
 * rewrites the few escapes whose meaning differs (\v, \z); the rest is
 * compiled with RE2's defaults: UTF-8, `$` only at the very end, LF
 * newlines, ASCII \d \w \s.  Matching runs under match and depth limits, so
 * a hostile pattern ends with an error instead of hanging the caller.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "libnfd/engine/engine.h"
#include "libnfd/dl.h"

#define MAX_REPEAT  1000
#define MATCH_LIMIT 1000000
#define DEPTH_LIMIT 10000

NFD_DLSYM(pcre2_compile);
NFD_DLSYM(pcre2_code_free);
NFD_DLSYM(pcre2_get_error_message);
NFD_DLSYM(pcre2_jit_compile);
NFD_DLSYM(pcre2_match_context_create);
NFD_DLSYM(pcre2_match_context_free);
NFD_DLSYM(pcre2_set_match_limit);
NFD_DLSYM(pcre2_set_depth_limit);
NFD_DLSYM(pcre2_match_data_create);
NFD_DLSYM(pcre2_match_data_free);
NFD_DLSYM(pcre2_match);
NFD_DLSYM(pcre2_get_ovector_pointer);
NFD_DLSYM(pcre2_get_ovector_count);

/* Only InRegexp expressions need PCRE2, not discovery or `nfd export features`. */
static int load_libpcre2(const char **ret_msg)
{
	return NFD_DLOPEN(
		ret_msg, "pcre2", "InRegexp expressions", NFD_DLOPEN_RECOMMENDED, "libpcre2-8.so.0",
		NFD_DLSYM_ARG(pcre2_compile), NFD_DLSYM_ARG(pcre2_code_free),
		NFD_DLSYM_ARG(pcre2_get_error_message), NFD_DLSYM_ARG(pcre2_jit_compile),
		NFD_DLSYM_ARG(pcre2_match_context_create), NFD_DLSYM_ARG(pcre2_match_context_free),
		NFD_DLSYM_ARG(pcre2_set_match_limit), NFD_DLSYM_ARG(pcre2_set_depth_limit),
		NFD_DLSYM_ARG(pcre2_match_data_create), NFD_DLSYM_ARG(pcre2_match_data_free),
		NFD_DLSYM_ARG(pcre2_match), NFD_DLSYM_ARG(pcre2_get_ovector_pointer),
		NFD_DLSYM_ARG(pcre2_get_ovector_count));
}

struct nfd_regex {
	pcre2_code *code;
	bool jitted; /* JIT-compiled (or tried): set once, under jit_lock */
	/* A pattern that is a plain string, maybe anchored ("^AVX512", "^03"),
	 * is matched with string functions: most NFD patterns are. */
	char *literal;
	size_t literal_len;
	bool anchor_start, anchor_end;
	/* a literal compiled by nfd__regex_compile_match(): code is made on
	 * the first search, from this */
	char *pattern;
};

/* The step limits a match runs under, smallest first (see nfd__regex_match()
 * in engine.h): the last is the limit of one call. */
static const uint32_t step_limits[] = {32, 512, 8192, 131072, MATCH_LIMIT};
#define N_LEVELS ARRAY_SIZE(step_limits)

struct nfd_regex_scratch {
	pcre2_match_data *md;
	pcre2_match_context *mctx[N_LEVELS]; /* made on first use */
};

static int fail(char **ret_err, const char *pattern, size_t at, const char *what)
{
	if (asprintf(ret_err, "error parsing regexp: %s at offset %zu in `%s`", what, at, pattern) <
	    0)
		*ret_err = NULL;
	return -EINVAL;
}

/* Parse "{n}", "{n,}", "{n,m}" at p; returns its length or 0 if it is a
 * literal brace (RE2 treats a malformed repeat as literal text). */
static size_t parse_repeat(const char *p, long *lo, long *hi)
{
	const char *s = p + 1;
	char *end;

	if (*s < '0' || *s > '9')
		return 0;
	*lo = strtol(s, &end, 10);
	s = end;
	*hi = *lo;
	if (*s == ',') {
		s++;
		if (*s >= '0' && *s <= '9') {
			*hi = strtol(s, &end, 10);
			s = end;
		} else {
			*hi = -1;
		}
	}
	if (*s != '}')
		return 0;
	return (size_t)(s + 1 - p);
}

static bool is_alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/*
 * An escape at p (p[0] == '\\'), inside or outside a class.  Appends the
 * PCRE2 spelling to out and returns the number of pattern bytes used, or 0
 * after setting the error.
 */
static size_t escape(const char *pattern, const char *p, bool in_class, struct strbuf *out,
		     char **ret_err)
{
	char c = p[1];
	size_t at = (size_t)(p - pattern);

	switch (c) {
	case '\0':
		fail(ret_err, pattern, at, "trailing backslash at end of expression");
		return 0;
	case '1':
	case '2':
	case '3':
	case '4':
	case '5':
	case '6':
	case '7':
	case '8':
	case '9':
		fail(ret_err, pattern, at,
		     "invalid escape sequence (backreferences are not supported)");
		return 0;
	case '0': {
		/* Octal: \0 followed by up to two more octal digits. */
		size_t n = 2;

		while (n < 4 && p[n] >= '0' && p[n] <= '7')
			n++;
		strbuf_puts(out, "\\o{");
		strbuf_append(out, p + 1, n - 1);
		strbuf_putc(out, '}');
		return n;
	}
	case 'v':
		/* RE2: vertical tab; PCRE2: any vertical whitespace. */
		strbuf_puts(out, "\\x{0b}");
		return 2;
	case 'z':
		if (in_class)
			break;
		strbuf_puts(out, "\\z");
		return 2;
	case 'A':
	case 'b':
	case 'B':
		if (in_class)
			break;
		strbuf_append(out, p, 2);
		return 2;
	case 's':
		/* RE2's \s is [\t\n\f\r ]; PCRE2's also has \v */
		strbuf_puts(out, in_class ? "\\t\\n\\f\\r " : "[\\t\\n\\f\\r ]");
		return 2;
	case 'S':
		if (in_class) {
			strbuf_append(out, p, 2);
			return 2;
		}
		strbuf_puts(out, "[^\\t\\n\\f\\r ]");
		return 2;
	case 'a':
	case 'f':
	case 't':
	case 'n':
	case 'r':
	case 'd':
	case 'D':
	case 'w':
	case 'W':
		strbuf_append(out, p, 2);
		return 2;
	case 'x': {
		size_t n = 2;

		if (p[2] == '{') {
			n = 3;
			while (p[n] && p[n] != '}')
				n++;
			if (p[n] != '}' || n == 3) {
				fail(ret_err, pattern, at, "invalid escape sequence");
				return 0;
			}
			n++;
		} else {
			for (int i = 0; i < 2; i++, n++) {
				char h = p[n];
				if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') ||
				      (h >= 'A' && h <= 'F'))) {
					fail(ret_err, pattern, at, "invalid escape sequence");
					return 0;
				}
			}
		}
		strbuf_append(out, p, n);
		return n;
	}
	case 'p':
	case 'P': {
		size_t n = 2;

		if (p[2] == '{') {
			while (p[n] && p[n] != '}')
				n++;
			if (p[n] != '}') {
				fail(ret_err, pattern, at, "invalid character class range");
				return 0;
			}
			n++;
		} else if (p[2] && is_alnum(p[2])) {
			n = 3;
		} else {
			fail(ret_err, pattern, at, "invalid character class range");
			return 0;
		}
		strbuf_append(out, p, n);
		return n;
	}
	case 'Q':
		if (in_class)
			break;
		{
			const char *e = strstr(p + 2, "\\E");
			size_t n = e ? (size_t)(e + 2 - p) : strlen(p);

			strbuf_append(out, p, n);
			if (!e)
				strbuf_puts(out, "\\E");
			return n;
		}
	default:
		if ((unsigned char)c < 0x80 && !is_alnum(c)) {
			/* escaped punctuation is a literal */
			strbuf_append(out, p, 2);
			return 2;
		}
		break;
	}
	fail(ret_err, pattern, at, "invalid escape sequence");
	return 0;
}

/* A character class starting at p ('['); returns bytes used or 0. */
static size_t char_class(const char *pattern, const char *p, struct strbuf *out, char **ret_err)
{
	const char *s = p + 1;

	strbuf_putc(out, '[');
	if (*s == '^')
		strbuf_putc(out, *s++);
	if (*s == ']') /* a leading ']' is a literal */
		strbuf_puts(out, "\\]"), s++;
	while (*s && *s != ']') {
		if (*s == '\\') {
			size_t n = escape(pattern, s, true, out, ret_err);
			if (!n)
				return 0;
			s += n;
		} else if (s[0] == '[' && s[1] == ':') {
			const char *e = strstr(s + 2, ":]");
			if (!e) {
				strbuf_puts(out, "\\[");
				s++;
				continue;
			}
			strbuf_append(out, s, (size_t)(e + 2 - s));
			s = e + 2;
		} else if (*s == '[') {
			strbuf_puts(out, "\\[");
			s++;
		} else {
			strbuf_putc(out, *s++);
		}
	}
	if (*s != ']') {
		fail(ret_err, pattern, (size_t)(p - pattern), "missing closing ]");
		return 0;
	}
	strbuf_putc(out, ']');
	return (size_t)(s + 1 - p);
}

/* "(?" group openers RE2 knows: flags, non-capturing, named captures. */
static size_t group_open(const char *pattern, const char *p, struct strbuf *out, char **ret_err)
{
	const char *s = p + 2;
	size_t at = (size_t)(p - pattern);

	if (s[0] == 'P' && s[1] == '<')
		s += 2;
	else if (s[0] == '<' && s[1] != '=' && s[1] != '!')
		s += 1;
	else
		goto flags;
	/* named capture: (?P<name> or (?<name> with a word name */
	{
		const char *name = s;

		while (is_alnum(*s) || *s == '_')
			s++;
		if (s == name || *s != '>') {
			fail(ret_err, pattern, at, "invalid named capture");
			return 0;
		}
		strbuf_puts(out, "(?<");
		strbuf_append(out, name, (size_t)(s - name));
		strbuf_putc(out, '>');
		return (size_t)(s + 1 - p);
	}
flags:
	for (bool neg = false;; s++) {
		switch (*s) {
		case 'i':
		case 'm':
		case 's':
		case 'U':
			continue;
		case '-':
			if (neg)
				goto bad;
			neg = true;
			continue;
		case ':':
		case ')':
			if (s == p + 2 && *s == ')')
				goto bad; /* "(?)" */
			strbuf_append(out, p, (size_t)(s + 1 - p));
			return (size_t)(s + 1 - p);
		default:
			goto bad;
		}
	}
bad:
	fail(ret_err, pattern, at,
	     "invalid or unsupported Perl syntax (lookaround, atomic groups, recursion, "
	     "conditionals and comments are not RE2)");
	return 0;
}

/* Check RE2 syntax and build the PCRE2 pattern. */
static int translate(const char *pattern, struct strbuf *out, char **ret_err)
{
	const char *p = pattern;
	bool can_repeat = false; /* there is an atom to repeat */
	bool after_repeat = false;
	int depth = 0;

	while (*p) {
		size_t n;
		long lo, hi;

		switch (*p) {
		case '\\':
			n = escape(pattern, p, false, out, ret_err);
			if (!n)
				return -EINVAL;
			p += n;
			can_repeat = true;
			after_repeat = false;
			continue;
		case '[':
			n = char_class(pattern, p, out, ret_err);
			if (!n)
				return -EINVAL;
			p += n;
			can_repeat = true;
			after_repeat = false;
			continue;
		case '(':
			if (p[1] == '?') {
				n = group_open(pattern, p, out, ret_err);
				if (!n)
					return -EINVAL;
			} else {
				strbuf_putc(out, '(');
				n = 1;
			}
			/* "(?i)" sets flags and opens nothing */
			if (p[n - 1] != ')' && ++depth > 1000)
				return fail(ret_err, pattern, (size_t)(p - pattern),
					    "expression nests too deeply");
			p += n;
			can_repeat = false;
			after_repeat = false;
			continue;
		case ')':
			if (--depth < 0)
				return fail(ret_err, pattern, (size_t)(p - pattern),
					    "unexpected )");
			break;
		case '*':
		case '+':
		case '?':
			if (!can_repeat)
				return fail(ret_err, pattern, (size_t)(p - pattern),
					    "missing argument to repetition operator");
			if (after_repeat)
				return fail(ret_err, pattern, (size_t)(p - pattern),
					    "invalid nested repetition operator");
			strbuf_putc(out, *p);
			/* a lazy marker ends this repetition */
			if (p[1] == '?') {
				strbuf_putc(out, '?');
				p++;
			}
			p++;
			after_repeat = true;
			continue;
		case '{':
			n = parse_repeat(p, &lo, &hi);
			if (!n) {
				strbuf_puts(out, "\\{");
				p++;
				can_repeat = true;
				after_repeat = false;
				continue;
			}
			if (lo > MAX_REPEAT || hi > MAX_REPEAT || (hi >= 0 && hi < lo))
				return fail(ret_err, pattern, (size_t)(p - pattern),
					    "invalid repeat count");
			if (!can_repeat)
				return fail(ret_err, pattern, (size_t)(p - pattern),
					    "missing argument to repetition operator");
			if (after_repeat)
				return fail(ret_err, pattern, (size_t)(p - pattern),
					    "invalid nested repetition operator");
			strbuf_append(out, p, n);
			p += n;
			if (*p == '?')
				strbuf_putc(out, *p++);
			after_repeat = true;
			continue;
		case '|':
			can_repeat = false;
			after_repeat = false;
			strbuf_putc(out, *p++);
			continue;
		case '^':
		case '$':
			break;
		default:
			break;
		}
		strbuf_putc(out, *p++);
		can_repeat = true;
		after_repeat = false;
	}
	if (depth > 0)
		return fail(ret_err, pattern, strlen(pattern), "missing closing )");
	return 0;
}

/* "^abc", "abc$", "abc": only characters that are literal in RE2. */
static void detect_literal(struct nfd_regex *re, const char *pattern)
{
	const char *s = pattern, *end;
	size_t len = strlen(pattern);

	if (len && pattern[len - 1] == '$') {
		re->anchor_end = true;
		len--;
	}
	if (*s == '^') {
		re->anchor_start = true;
		s++;
		len--;
	}
	end = s + len;
	for (const char *p = s; p < end; p++)
		if (!(is_alnum(*p) || *p == '_' || *p == '-' || *p == ' ' || *p == '/' ||
		      *p == ',' || *p == ':' || *p == '=' || *p == '@' || *p == '%'))
			return;
	re->literal = strndup(s, len);
	re->literal_len = len;
}

/* PCRE2's code for the translated pattern pat: 0, -ENOMEM, -ENOTSUP or
 * -EINVAL with the message in *ret_err. */
static int pcre2_code_of(const char *pattern, const char *pat, size_t len, pcre2_code **ret,
			 char **ret_err)
{
	PCRE2_SIZE erroff;
	const char *load_msg;
	int errcode, r;

	r = load_libpcre2(&load_msg);
	if (r < 0) {
		*ret_err = strdup(load_msg);
		return r;
	}
	*ret = sym_pcre2_compile((PCRE2_SPTR)pat, len,
				 PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_DOLLAR_ENDONLY |
					 PCRE2_NEVER_BACKSLASH_C,
				 &errcode, &erroff, NULL);
	if (!*ret) {
		PCRE2_UCHAR msg[160];

		sym_pcre2_get_error_message(errcode, msg, sizeof(msg));
		if (errcode == PCRE2_ERROR_NOMEMORY)
			return -ENOMEM;
		return fail(ret_err, pattern, (size_t)erroff, (const char *)msg);
	}
	return 0;
}

static int compile(const char *pattern, bool lazy, struct nfd_regex **ret, char **ret_err)
{
	_cleanup_strbuf_ struct strbuf pat = STRBUF_INIT;
	struct nfd_regex *re;
	int r;

	*ret_err = NULL;
	r = translate(pattern, &pat, ret_err);
	if (r < 0)
		return r;
	if (!strbuf_str(&pat))
		return -ENOMEM;
	re = calloc(1, sizeof(*re));
	if (!re)
		return -ENOMEM;
	detect_literal(re, pattern);
	/* a plain string, maybe anchored, is valid UTF-8 and a valid PCRE2
	 * pattern (translate() copies it unchanged): matching it needs no
	 * PCRE2, and only a search compiles it (ensure_code()) */
	if (lazy && re->literal) {
		re->pattern = strdup(pattern);
		if (!re->pattern) {
			nfd__regex_free(re);
			return -ENOMEM;
		}
		*ret = re;
		return 0;
	}
	r = pcre2_code_of(pattern, strbuf_str(&pat), pat.len, &re->code, ret_err);
	if (r < 0) {
		nfd__regex_free(re);
		return r;
	}
	*ret = re;
	return 0;
}

int nfd__regex_compile(const char *pattern, struct nfd_regex **ret, char **ret_err)
{
	return compile(pattern, false, ret, ret_err);
}

int nfd__regex_compile_match(const char *pattern, struct nfd_regex **ret, char **ret_err)
{
	return compile(pattern, true, ret, ret_err);
}

void nfd__regex_free(struct nfd_regex *re)
{
	if (!re)
		return;
	if (re->code)
		sym_pcre2_code_free(re->code);
	free(re->literal);
	free(re->pattern);
	free(re);
}

static void free_contexts(pcre2_match_context **mctx)
{
	for (size_t i = 0; i < N_LEVELS; i++) {
		if (mctx[i])
			sym_pcre2_match_context_free(mctx[i]);
		mctx[i] = NULL;
	}
}

/* The match data is made by the first match that needs PCRE2: a spec whose
 * patterns are all plain strings never opens it. */
struct nfd_regex_scratch *nfd__regex_scratch_new(void)
{
	return calloc(1, sizeof(struct nfd_regex_scratch));
}

void nfd__regex_scratch_free(struct nfd_regex_scratch *s)
{
	if (!s)
		return;
	free_contexts(s->mctx);
	if (s->md)
		sym_pcre2_match_data_free(s->md);
	free(s);
}

static int match_literal(const struct nfd_regex *re, const char *s, size_t len)
{
	size_t n = re->literal_len;

	if (n > len)
		return 0;
	if (re->anchor_start && re->anchor_end)
		return n == len && memcmp(s, re->literal, n) == 0;
	if (re->anchor_start)
		return memcmp(s, re->literal, n) == 0;
	if (re->anchor_end)
		return memcmp(s + len - n, re->literal, n) == 0;
	return memmem(s, len, re->literal, n) != NULL;
}

/*
 * JIT compiling takes ~30 µs a pattern, far more than compiling it: a spec
 * of many patterns would spend seconds on it before any evaluation.  A
 * pattern is JIT-compiled when it is first matched, at a cost to the work
 * budget; until then (and where JIT is missing) the interpreter runs.  The
 * spec and its patterns may be shared by threads: the one lock keeps every
 * match off a pattern while it is being compiled.
 */
#define JIT_COST 1000
static pthread_mutex_t jit_lock = PTHREAD_MUTEX_INITIALIZER;

static void jit_once(const struct nfd_regex *re, uint64_t *cost)
{
	struct nfd_regex *w = (struct nfd_regex *)re;

	if (__atomic_load_n(&re->jitted, __ATOMIC_ACQUIRE))
		return;
	pthread_mutex_lock(&jit_lock);
	if (!re->jitted) {
		(void)sym_pcre2_jit_compile(w->code, PCRE2_JIT_COMPLETE);
		*cost += JIT_COST;
		__atomic_store_n(&w->jitted, true, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&jit_lock);
}

/*
 * pcre2_match() under growing step limits (mctx: a cache of one match
 * context per limit).  Returns pcre2_match()'s result; *cost grows by each
 * limit tried.
 */
static int run_limited(const struct nfd_regex *re, const char *s, size_t len, size_t start,
		       pcre2_match_data *md, pcre2_match_context **mctx, uint64_t *cost)
{
	int r = PCRE2_ERROR_MATCHLIMIT;

	jit_once(re, cost);
	for (size_t i = 0; i < N_LEVELS && r == PCRE2_ERROR_MATCHLIMIT; i++) {
		if (!mctx[i]) {
			mctx[i] = sym_pcre2_match_context_create(NULL);
			if (!mctx[i])
				return PCRE2_ERROR_NOMEMORY;
			sym_pcre2_set_match_limit(mctx[i], step_limits[i]);
			sym_pcre2_set_depth_limit(mctx[i], DEPTH_LIMIT);
		}
		*cost += step_limits[i] / REGEX_STEPS_PER_UNIT;
		r = sym_pcre2_match(re->code, (PCRE2_SPTR)s, len, start, 0, md, mctx[i]);
	}
	return r;
}

int nfd__regex_match(const struct nfd_regex *re, const char *s, size_t len,
		     struct nfd_regex_scratch *scratch, uint64_t *cost)
{
	int r;

	if (re->literal) {
		*cost += 1 + len / REGEX_BYTES_PER_UNIT;
		return match_literal(re, s, len);
	}
	*cost += 1 + len / REGEX_BYTES_PER_UNIT;
	if (!scratch->md) {
		/* only "does it match" is asked: one ovector pair is enough
		 * (re->code is there: PCRE2 was loaded to compile it) */
		scratch->md = sym_pcre2_match_data_create(1, NULL);
		if (!scratch->md)
			return -ENOMEM;
	}
	r = run_limited(re, s, len, 0, scratch->md, scratch->mctx, cost);
	if (r >= 0)
		return 1;
	if (r == PCRE2_ERROR_NOMATCH)
		return 0;
	if (r == PCRE2_ERROR_NOMEMORY || r == PCRE2_ERROR_HEAPLIMIT)
		return -ENOMEM;
	return -ETIME;
}

/* The PCRE2 code of a pattern nfd__regex_compile_match() left without:
 * made once, under jit_lock.  0 or -ENOMEM. */
static int ensure_code(const struct nfd_regex *re)
{
	struct nfd_regex *w = (struct nfd_regex *)re;
	int r = 0;

	if (__atomic_load_n(&re->code, __ATOMIC_ACQUIRE))
		return 0;
	pthread_mutex_lock(&jit_lock);
	if (!re->code) {
		char *err = NULL;
		pcre2_code *code = NULL;

		/* a literal is its own PCRE2 pattern (translate() copies it) */
		r = pcre2_code_of(re->pattern, re->pattern, strlen(re->pattern), &code, &err);
		free(err);
		if (r == 0)
			__atomic_store_n(&w->code, code, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&jit_lock);
	return r < 0 ? -ENOMEM : 0;
}

int nfd__regex_search(const struct nfd_regex *re, const char *s, size_t len, size_t start,
		      size_t *ovec, size_t max_pairs, size_t *ret_pairs, uint64_t *cost)
{
	pcre2_match_data *md;
	pcre2_match_context *mctx[N_LEVELS] = {NULL};
	PCRE2_SIZE *o;
	size_t pairs;
	int r;

	if (ensure_code(re) < 0)
		return -ENOMEM;
	md = sym_pcre2_match_data_create((uint32_t)max_pairs, NULL);
	if (!md)
		return -ENOMEM;
	r = run_limited(re, s, len, start, md, mctx, cost);
	free_contexts(mctx);
	o = sym_pcre2_get_ovector_pointer(md);
	/* the subject read: up to the match's end, or all of it */
	*cost += 1 +
		 ((r >= 0 && o[1] != PCRE2_UNSET && o[1] >= start ? (size_t)o[1] : len) - start) /
			 REGEX_BYTES_PER_UNIT;
	if (r < 0) {
		sym_pcre2_match_data_free(md);
		if (r == PCRE2_ERROR_NOMATCH)
			return 0;
		if (r == PCRE2_ERROR_NOMEMORY || r == PCRE2_ERROR_HEAPLIMIT)
			return -ENOMEM;
		return -ETIME;
	}
	pairs = sym_pcre2_get_ovector_count(md);
	if (pairs > max_pairs)
		pairs = max_pairs;
	for (size_t i = 0; i < pairs; i++) {
		/* a group that took no part: PCRE2_UNSET, reported as SIZE_MAX */
		ovec[2 * i] = o[2 * i] == PCRE2_UNSET ? SIZE_MAX : (size_t)o[2 * i];
		ovec[2 * i + 1] = o[2 * i + 1] == PCRE2_UNSET ? SIZE_MAX : (size_t)o[2 * i + 1];
	}
	for (size_t i = (size_t)r; i < pairs; i++)
		ovec[2 * i] = ovec[2 * i + 1] = SIZE_MAX;
	*ret_pairs = pairs;
	sym_pcre2_match_data_free(md);
	return 1;
}
