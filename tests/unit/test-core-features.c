/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The feature model: building, sealing, lookups, iteration, merging. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "libnfd/features-private.h"
#include "libnfd/libnfd-internal.h"

struct fixture {
	struct nfd_ctx *ctx;
	struct nfd_features *f;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	fx->ctx = nfd_ctx_new();
	assert_non_null(fx->ctx);
	assert_int_equal(nfd_features_new(fx->ctx, &fx->f), 0);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	nfd_features_unref(fx->f);
	nfd_ctx_unref(fx->ctx);
	free(fx);
	return 0;
}

static void test_flags(void **state)
{
	struct fixture *fx = *state;
	struct nfd_iter *it;
	const char *k, *v = "x";

	assert_int_equal(nfd_features_add_flag(fx->f, "cpu.cpuid", "SSE2"), 0);
	assert_int_equal(nfd_features_add_flag(fx->f, "cpu.cpuid", "AVX2"), 0);
	assert_int_equal(nfd_features_add_flag(fx->f, "cpu.cpuid", "ADX"), 0);
	assert_int_equal(nfd_features_add_flag(fx->f, "cpu.cpuid", "AVX2"), 0);
	assert_int_equal(nfd_features_seal(fx->f), 0);

	assert_int_equal(nfd_features_has_flag(fx->f, "cpu.cpuid", "AVX2"), 1);
	assert_int_equal(nfd_features_has_flag(fx->f, "cpu.cpuid", "AVX512F"), 0);
	assert_int_equal(nfd_features_has_flag(fx->f, "cpu.other", "AVX2"), 0);
	assert_int_equal(nfd_features_has_feature(fx->f, NFD_FEATURE_FLAG, "cpu.cpuid"), 1);
	assert_int_equal(nfd_features_has_feature(fx->f, NFD_FEATURE_ATTRIBUTE, "cpu.cpuid"), 0);

	/* sorted, each once */
	assert_int_equal(nfd_features_iter_flags(fx->f, "cpu.cpuid", &it), 0);
	assert_int_equal(nfd_iter_next(it, &k, &v), 1);
	assert_string_equal(k, "ADX");
	assert_null(v);
	assert_int_equal(nfd_iter_next(it, &k, NULL), 1);
	assert_string_equal(k, "AVX2");
	assert_int_equal(nfd_iter_next(it, &k, NULL), 1);
	assert_string_equal(k, "SSE2");
	assert_int_equal(nfd_iter_next(it, &k, NULL), 0);
	assert_int_equal(nfd_iter_next(it, &k, NULL), 0);
	nfd_iter_free(it);
	assert_int_equal(nfd_features_iter_flags(fx->f, "nope", &it), -ENOENT);
}

static void test_attributes_last_write_wins(void **state)
{
	struct fixture *fx = *state;
	const char *v;

	assert_int_equal(nfd_features_set_attribute(fx->f, "kernel.version", "major", "5"), 0);
	assert_int_equal(nfd_features_set_attribute(fx->f, "kernel.version", "minor", "15"), 0);
	assert_int_equal(nfd_features_set_attribute(fx->f, "kernel.version", "major", "6"), 0);
	/* lookups work before sealing too */
	assert_int_equal(nfd_features_get_attribute(fx->f, "kernel.version", "major", &v), 0);
	assert_string_equal(v, "6");
	assert_int_equal(nfd_features_set_attribute(fx->f, "kernel.version", "major", "7"), 0);
	assert_int_equal(nfd_features_seal(fx->f), 0);
	assert_int_equal(nfd_features_get_attribute(fx->f, "kernel.version", "major", &v), 0);
	assert_string_equal(v, "7");
	assert_int_equal(nfd_features_get_attribute(fx->f, "kernel.version", "minor", &v), 0);
	assert_string_equal(v, "15");
	assert_int_equal(nfd_features_get_attribute(fx->f, "kernel.version", "x", &v), -ENOENT);
	assert_int_equal(nfd_features_get_attribute(fx->f, "kernel.nope", "major", &v), -ENOENT);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Many keys sharing long prefixes, bytes above 0x7f, rewrites: strcmp() order, last wins. */
static void test_attributes_sorted_bytewise(void **state)
{
	struct fixture *fx = *state;
	static const char *const stems[] = {
		"HAVE_ARCH_",	     "HAVE_ARCH",	 "HAVE_", "H", "",
		"\xc3\xa9t\xc3\xa9", "CRYPTO_SHA256_X86"};
	char keys[7 * 40][48], *sorted[7 * 40], value[48];
	struct nfd_iter *it;
	const char *k, *v;
	size_t n = 0;

	for (size_t s = 0; s < 7; s++)
		for (int i = 39; i >= 0; i--) {
			snprintf(keys[n], sizeof(keys[n]), "%s%d", stems[s], i * 7 % 40);
			sorted[n] = keys[n];
			n++;
		}
	for (size_t i = 0; i < n; i++)
		assert_int_equal(nfd_features_set_attribute(fx->f, "kernel.config", keys[i], "old"),
				 0);
	/* every key again with its final value, in reverse order */
	for (size_t i = n; i-- > 0;) {
		snprintf(value, sizeof(value), "%s", keys[i]);
		assert_int_equal(nfd_features_set_attribute(fx->f, "kernel.config", keys[i], value),
				 0);
	}
	qsort(sorted, n, sizeof(sorted[0]), cmp_str);
	assert_int_equal(nfd_features_seal(fx->f), 0);
	assert_int_equal(nfd_features_iter_attributes(fx->f, "kernel.config", &it), 0);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(nfd_iter_next(it, &k, &v), 1);
		assert_string_equal(k, sorted[i]);
		assert_string_equal(v, sorted[i]);
	}
	assert_int_equal(nfd_iter_next(it, &k, &v), 0);
	nfd_iter_free(it);
}

static void test_instances(void **state)
{
	struct fixture *fx = *state;
	const char *gpu[] = {"vendor", "10de", "class", "0302", NULL};
	const char *nic[] = {"vendor", "8086", "class", "0200", "vendor", "15b3", NULL};
	const char *bad[] = {"vendor", NULL};
	const char *v;
	struct nfd_iter *it;
	const char *k;

	assert_int_equal(nfd_features_add_instance(fx->f, "pci.device", gpu), 0);
	assert_int_equal(nfd_features_add_instance(fx->f, "pci.device", nic), 1);
	assert_int_equal(nfd_features_add_instance(fx->f, "pci.device", NULL), 2);
	assert_int_equal(nfd_features_add_instance(fx->f, "pci.device", bad), -EINVAL);
	assert_int_equal(nfd_features_seal(fx->f), 0);

	assert_int_equal(nfd_features_count_instances(fx->f, "pci.device"), 3);
	assert_int_equal(nfd_features_count_instances(fx->f, "usb.device"), -ENOENT);
	assert_int_equal(nfd_features_get_instance_attribute(fx->f, "pci.device", 0, "vendor", &v),
			 0);
	assert_string_equal(v, "10de");
	assert_int_equal(nfd_features_get_instance_attribute(fx->f, "pci.device", 1, "vendor", &v),
			 0);
	assert_string_equal(v, "15b3");
	assert_int_equal(nfd_features_get_instance_attribute(fx->f, "pci.device", 2, "vendor", &v),
			 -ENOENT);
	assert_int_equal(nfd_features_get_instance_attribute(fx->f, "pci.device", 3, "vendor", &v),
			 -ERANGE);

	assert_int_equal(nfd_features_iter_instance(fx->f, "pci.device", 1, &it), 0);
	assert_int_equal(nfd_iter_next(it, &k, &v), 1);
	assert_string_equal(k, "class");
	assert_string_equal(v, "0200");
	assert_int_equal(nfd_iter_next(it, &k, &v), 1);
	assert_string_equal(k, "vendor");
	assert_int_equal(nfd_iter_next(it, &k, &v), 0);
	nfd_iter_free(it);
}

/* Readers of an unsealed object answer as after sealing but never sort it in
 * place: two of them may run on two threads. */
static void test_unsealed_readers_do_not_write(void **state)
{
	struct fixture *fx = *state;
	const struct feature *ft;
	struct nfd_iter *it;
	const char *k, *v;
	char *json = NULL;

	assert_int_equal(nfd_features_add_flag(fx->f, "z.flags", "b"), 0);
	assert_int_equal(nfd_features_add_flag(fx->f, "z.flags", "a"), 0);
	assert_int_equal(nfd_features_add_flag(fx->f, "z.flags", "b"), 0);
	assert_int_equal(nfd_features_set_attribute(fx->f, "a.attrs", "k", "1"), 0);
	assert_int_equal(nfd_features_set_attribute(fx->f, "a.attrs", "j", "2"), 0);
	assert_int_equal(nfd_features_set_attribute(fx->f, "a.attrs", "k", "3"), 0);
	assert_int_equal(nfd_features_add_flag(fx->f, "b.flags", "x"), 0);
	assert_false(fx->f->sorted);

	assert_int_equal(nfd_features_has_flag(fx->f, "z.flags", "a"), 1);
	assert_int_equal(nfd_features_has_flag(fx->f, "z.flags", "c"), 0);
	assert_int_equal(nfd_features_get_attribute(fx->f, "a.attrs", "k", &v), 0);
	assert_string_equal(v, "3");
	assert_int_equal(nfd_features_iter_flags(fx->f, "z.flags", &it), 0);
	assert_int_equal(nfd_iter_next(it, &k, NULL), 1);
	assert_string_equal(k, "a");
	assert_int_equal(nfd_iter_next(it, &k, NULL), 1);
	assert_string_equal(k, "b");
	assert_int_equal(nfd_iter_next(it, &k, NULL), 0);
	nfd_iter_free(it);
	assert_int_equal(nfd_features_iter_attributes(fx->f, "a.attrs", &it), 0);
	assert_int_equal(nfd_iter_next(it, &k, &v), 1);
	assert_string_equal(k, "j");
	assert_int_equal(nfd_iter_next(it, &k, &v), 1);
	assert_string_equal(k, "k");
	assert_string_equal(v, "3");
	assert_int_equal(nfd_iter_next(it, &k, &v), 0);
	nfd_iter_free(it);
	assert_int_equal(nfd_features_iter_features(fx->f, NFD_FEATURE_FLAG, &it), 0);
	assert_int_equal(nfd_iter_next(it, &k, NULL), 1);
	assert_string_equal(k, "b.flags");
	assert_int_equal(nfd_iter_next(it, &k, NULL), 1);
	assert_string_equal(k, "z.flags");
	assert_int_equal(nfd_iter_next(it, &k, NULL), 0);
	nfd_iter_free(it);
	assert_true(nfd_features_to_json(fx->f, NFD_JSON_COMPACT | NFD_JSON_NO_NEWLINE, &json) > 0);
	assert_string_equal(json,
			    "{\"flags\":{\"b.flags\":{\"elements\":{\"x\":{}}},"
			    "\"z.flags\":{\"elements\":{\"a\":{},\"b\":{}}}},"
			    "\"attributes\":{\"a.attrs\":{\"elements\":{\"j\":\"2\",\"k\":\"3\"}}},"
			    "\"instances\":{}}");
	free(json);

	/* still as it was built: nothing was sorted in place */
	assert_false(fx->f->sorted);
	assert_false(fx->f->sealed);
	ft = fx->f->features[0];
	assert_string_equal(ft->name, "z.flags");
	assert_false(ft->flags.sorted);
	assert_int_equal(ft->flags.n, 3);
	ft = fx->f->features[1];
	assert_false(ft->attrs.sorted);
	assert_int_equal(ft->attrs.n, 3);
}

static void test_sealed_is_read_only(void **state)
{
	struct fixture *fx = *state;
	const char *attrs[] = {"a", "b", NULL};

	assert_int_equal(nfd_features_add_flag(fx->f, "x.y", "z"), 0);
	assert_int_equal(nfd_features_seal(fx->f), 0);
	assert_int_equal(nfd_features_seal(fx->f), 0);
	assert_int_equal(nfd_features_add_flag(fx->f, "x.y", "w"), -EPERM);
	assert_string_equal(nfd_ctx_last_error(fx->ctx), "features are sealed and cannot change");
	assert_int_equal(nfd_features_set_attribute(fx->f, "x.y", "w", "1"), -EPERM);
	assert_int_equal(nfd_features_add_instance(fx->f, "x.y", attrs), -EPERM);
	assert_int_equal(nfd_features_declare(fx->f, NFD_FEATURE_FLAG, "x.z"), -EPERM);
}

static void test_bad_arguments(void **state)
{
	struct fixture *fx = *state;
	const char *v;
	struct nfd_iter *it;

	assert_int_equal(nfd_features_new(NULL, NULL), -EINVAL);
	assert_int_equal(nfd_features_add_flag(NULL, "a", "b"), -EINVAL);
	assert_int_equal(nfd_features_add_flag(fx->f, NULL, "b"), -EINVAL);
	assert_int_equal(nfd_features_add_flag(fx->f, "", "b"), -EINVAL);
	assert_int_equal(nfd_features_set_attribute(fx->f, "a", "b", NULL), -EINVAL);
	assert_int_equal(nfd_features_declare(fx->f, 3, "a"), -EINVAL);
	assert_int_equal(nfd_features_get_attribute(fx->f, "a", "b", NULL), -EINVAL);
	assert_int_equal(nfd_features_get_attribute(NULL, "a", "b", &v), -EINVAL);
	assert_int_equal(nfd_features_iter_features(fx->f, 0, &it), -EINVAL);
	assert_int_equal(nfd_features_merge(fx->f, NULL), -EINVAL);
	assert_int_equal(nfd_features_to_json(NULL, 0, NULL), -EINVAL);
	assert_int_equal(nfd_iter_next(NULL, NULL, NULL), -EINVAL);
	assert_null(nfd_iter_free(NULL));
	assert_null(nfd_features_unref(NULL));
	assert_null(nfd_features_ref(NULL));
}

static void test_iter_features_and_declare(void **state)
{
	struct fixture *fx = *state;
	struct nfd_iter *it;
	const char *k;
	int n = 0;

	assert_int_equal(nfd_features_declare(fx->f, NFD_FEATURE_ATTRIBUTE, "cpu.rdt"), 0);
	assert_int_equal(nfd_features_set_attribute(fx->f, "kernel.version", "major", "6"), 0);
	assert_int_equal(nfd_features_add_flag(fx->f, "kernel.loadedmodule", "nvidia"), 0);
	assert_int_equal(nfd_features_declare(fx->f, NFD_FEATURE_INSTANCE, "usb.device"), 0);
	assert_int_equal(nfd_features_seal(fx->f), 0);

	assert_int_equal(nfd_features_has_feature(fx->f, NFD_FEATURE_ATTRIBUTE, "cpu.rdt"), 1);
	assert_int_equal(nfd_features_count_instances(fx->f, "usb.device"), 0);
	assert_int_equal(nfd_features_iter_features(fx->f, NFD_FEATURE_ATTRIBUTE, &it), 0);
	assert_int_equal(nfd_iter_next(it, &k, NULL), 1);
	assert_string_equal(k, "cpu.rdt");
	assert_int_equal(nfd_iter_next(it, &k, NULL), 1);
	assert_string_equal(k, "kernel.version");
	assert_int_equal(nfd_iter_next(it, &k, NULL), 0);
	/* the iterator keeps the features alive */
	nfd_features_unref(nfd_features_ref(fx->f));
	nfd_iter_free(it);

	assert_int_equal(nfd_features_iter_features(fx->f, NFD_FEATURE_FLAG, &it), 0);
	while (nfd_iter_next(it, &k, NULL) > 0)
		n++;
	nfd_iter_free(it);
	assert_int_equal(n, 1);
}

static void test_merge(void **state)
{
	struct fixture *fx = *state;
	struct nfd_features *g;
	const char *a1[] = {"name", "eth0", NULL};
	const char *a2[] = {"name", "eth1", NULL};
	const char *v;

	assert_int_equal(nfd_features_add_flag(fx->f, "kernel.loadedmodule", "a"), 0);
	assert_int_equal(nfd_features_set_attribute(fx->f, "system.osrelease", "ID", "debian"), 0);
	assert_int_equal(nfd_features_add_instance(fx->f, "network.device", a1), 0);

	assert_int_equal(nfd_features_new(fx->ctx, &g), 0);
	assert_int_equal(nfd_features_add_flag(g, "kernel.loadedmodule", "b"), 0);
	assert_int_equal(nfd_features_set_attribute(g, "system.osrelease", "ID", "ubuntu"), 0);
	assert_int_equal(nfd_features_add_instance(g, "network.device", a2), 0);
	assert_int_equal(nfd_features_seal(g), 0);

	assert_int_equal(nfd_features_merge(fx->f, g), 0);
	assert_int_equal(nfd_features_seal(fx->f), 0);
	assert_int_equal(nfd_features_has_flag(fx->f, "kernel.loadedmodule", "a"), 1);
	assert_int_equal(nfd_features_has_flag(fx->f, "kernel.loadedmodule", "b"), 1);
	assert_int_equal(nfd_features_get_attribute(fx->f, "system.osrelease", "ID", &v), 0);
	assert_string_equal(v, "ubuntu");
	assert_int_equal(nfd_features_count_instances(fx->f, "network.device"), 1);
	assert_int_equal(
		nfd_features_get_instance_attribute(fx->f, "network.device", 0, "name", &v), 0);
	assert_string_equal(v, "eth1");
	assert_int_equal(nfd_features_merge(g, fx->f), -EPERM);
	nfd_features_unref(g);
}

struct ref_kv {
	char key[24];
	char value[24];
	size_t pos;
};

/* key order as strcmp(), then the order added */
static int cmp_ref(const void *a, const void *b)
{
	const struct ref_kv *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c ? c : x->pos < y->pos ? -1 : 1;
}

/*
 * The seal's radix sort against qsort() over random maps: keys from a few
 * bytes (0x01, 0xff, shared stems, keys that are prefixes of others, the
 * empty key), every size around the switch to insertion sort, duplicates
 * resolved to the last added, and the first duplicate (in key order)
 * remembered as the parser's duplicate check expects.
 */
static void test_sort_random(void **state)
{
	static const char alphabet[] = "\x01"
				       "AB_Z\xff";
	static const size_t sizes[] = {0, 1, 2, 15, 16, 17, 31, 33, 200, 3000};
	struct fixture *fx = *state;
	unsigned int seed = 12345;

	for (size_t si = 0; si < sizeof(sizes) / sizeof(*sizes); si++)
		for (int round = 0; round < 4; round++) {
			size_t n = sizes[si], out = 0;
			struct ref_kv *ref = calloc(n + 1, sizeof(*ref));
			struct nfd_features *f;
			const struct feature *ft;
			const char *dup = NULL;

			assert_non_null(ref);
			assert_int_equal(nfd_features_new(fx->ctx, &f), 0);
			for (size_t i = 0; i < n; i++) {
				/* round 0: short keys, many duplicates; later ones: long
				 * shared stems that outlast the radix levels */
				size_t len = (size_t)rand_r(&seed) % (round == 0 ? 4 : 20);
				size_t stem = round == 0 ? 0 : (size_t)rand_r(&seed) % 12;

				memset(ref[i].key, 'S', stem);
				for (size_t k = stem; k < len; k++)
					ref[i].key[k] = alphabet[(size_t)rand_r(&seed) % 6];
				ref[i].key[MAX(len, stem)] = '\0';
				snprintf(ref[i].value, sizeof(ref[i].value), "%zu", i);
				ref[i].pos = i;
				assert_int_equal(nfd_features_set_attribute(f, "t.f", ref[i].key,
									    ref[i].value),
						 0);
			}
			if (n == 0)
				assert_int_equal(
					nfd_features_declare(f, NFD_FEATURE_ATTRIBUTE, "t.f"), 0);
			qsort(ref, n, sizeof(*ref), cmp_ref);
			assert_int_equal(nfd_features_seal(f), 0);
			ft = nfd__features_find(f, "t.f");
			assert_non_null(ft);
			for (size_t i = 0; i < n; i++) {
				if (i + 1 < n && streq(ref[i].key, ref[i + 1].key)) {
					if (!dup)
						dup = ref[i].key;
					continue;
				}
				assert_true(out < ft->attrs.n);
				assert_string_equal(ft->attrs.items[out].key, ref[i].key);
				assert_string_equal(ft->attrs.items[out].value, ref[i].value);
				out++;
			}
			assert_int_equal(ft->attrs.n, out);
			if (dup) {
				assert_non_null(f->dup_key);
				assert_string_equal(f->dup_key, dup);
			} else {
				assert_null(f->dup_key);
			}
			nfd_features_unref(f);
			free(ref);
		}
}

static void test_many_attributes(void **state)
{
	struct fixture *fx = *state;
	char name[32], value[32];
	const char *v;

	/* kernel.config has thousands; insertion order is not sorted */
	for (int i = 5000; i > 0; i--) {
		snprintf(name, sizeof(name), "OPT_%d", (i * 7919) % 5000);
		snprintf(value, sizeof(value), "%d", i);
		assert_int_equal(nfd_features_set_attribute(fx->f, "kernel.config", name, value),
				 0);
	}
	assert_int_equal(nfd_features_seal(fx->f), 0);
	assert_int_equal(nfd_features_get_attribute(fx->f, "kernel.config", "OPT_0", &v), 0);
	/* OPT_0 was set for every i that is a multiple of 5000: only i = 5000 */
	assert_string_equal(v, "5000");
}

static void test_ctx_paths(void **state)
{
	struct nfd_ctx *ctx = nfd_ctx_new();

	assert_string_equal(nfd_ctx_get_root(ctx), "/");
	assert_string_equal(nfd_ctx_get_path(ctx, NFD_PATH_SYS), "/sys");
	assert_int_equal(nfd_ctx_set_root(ctx, "/host/"), 0);
	assert_string_equal(nfd_ctx_get_path(ctx, NFD_PATH_PROC), "/host/proc");
	assert_string_equal(nfd_ctx_get_path(ctx, NFD_PATH_ETC), "/host/etc");
	assert_int_equal(nfd_ctx_set_host_prefix(ctx, "/host-"), 0);
	assert_string_equal(nfd_ctx_get_path(ctx, NFD_PATH_SYS), "/host-sys");
	assert_string_equal(nfd_ctx_get_path(ctx, NFD_PATH_USR), "/host-usr");
	assert_int_equal(nfd_ctx_set_path(ctx, NFD_PATH_BOOT, "/mnt/boot"), 0);
	assert_string_equal(nfd_ctx_get_path(ctx, NFD_PATH_BOOT), "/mnt/boot");
	assert_int_equal(nfd_ctx_set_root(ctx, "relative"), -EINVAL);
	assert_string_equal(nfd_ctx_last_error(ctx),
			    "host root must be an absolute path: 'relative'");
	assert_int_equal(nfd_ctx_set_path(ctx, _NFD_PATH_MAX, "/x"), -EINVAL);
	assert_null(nfd_ctx_get_path(ctx, _NFD_PATH_MAX));
	assert_string_equal(nfd_ctx_last_error(NULL), "");
	assert_int_equal(nfd_ctx_set_root(NULL, "/"), -EINVAL);
	assert_null(nfd_ctx_unref(ctx));
	assert_null(nfd_ctx_unref(NULL));
	(void)state;
}

struct log_capture {
	int calls;
	int last_priority;
};

static _printf_(6, 0) void capture_log(void *userdata, int priority, const char *file, int line,
				       const char *fn, const char *format, va_list args)
{
	struct log_capture *c = userdata;

	c->calls++;
	c->last_priority = priority;
}

static void test_log_hook(void **state)
{
	struct nfd_ctx *ctx = nfd_ctx_new();
	struct log_capture cap = {0};

	nfd_ctx_set_log_fn(ctx, capture_log, &cap);
	nfd_ctx_set_log_priority(ctx, LOG_WARNING);
	assert_int_equal(nfd_ctx_get_log_priority(ctx), LOG_WARNING);
	nfd_warn(ctx, "a warning %d", 1);
	nfd_info(ctx, "filtered out");
	assert_int_equal(cap.calls, 1);
	assert_int_equal(cap.last_priority, LOG_WARNING);
	nfd_ctx_set_log_fn(ctx, NULL, NULL);
	nfd_warn(ctx, "dropped");
	assert_int_equal(cap.calls, 1);
	assert_int_equal(nfd_ctx_get_log_priority(NULL), -EINVAL);
	nfd_ctx_unref(ctx);
	(void)state;
}

static void test_env_log_priority(void **state)
{
	struct nfd_ctx *ctx;

	setenv("NFD_LOG", "debug", 1);
	ctx = nfd_ctx_new();
	assert_int_equal(nfd_ctx_get_log_priority(ctx), LOG_DEBUG);
	nfd_ctx_unref(ctx);
	setenv("NFD_LOG", "4", 1);
	ctx = nfd_ctx_new();
	assert_int_equal(nfd_ctx_get_log_priority(ctx), LOG_WARNING);
	nfd_ctx_unref(ctx);
	setenv("NFD_LOG", "bogus", 1);
	ctx = nfd_ctx_new();
	assert_int_equal(nfd_ctx_get_log_priority(ctx), LOG_ERR);
	nfd_ctx_unref(ctx);
	unsetenv("NFD_LOG");
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_flags, setup, teardown),
		cmocka_unit_test_setup_teardown(test_attributes_last_write_wins, setup, teardown),
		cmocka_unit_test_setup_teardown(test_attributes_sorted_bytewise, setup, teardown),
		cmocka_unit_test_setup_teardown(test_instances, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unsealed_readers_do_not_write, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_sealed_is_read_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_arguments, setup, teardown),
		cmocka_unit_test_setup_teardown(test_iter_features_and_declare, setup, teardown),
		cmocka_unit_test_setup_teardown(test_merge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_attributes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sort_random, setup, teardown),
		cmocka_unit_test(test_ctx_paths),
		cmocka_unit_test(test_log_hook),
		cmocka_unit_test(test_env_log_priority),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
