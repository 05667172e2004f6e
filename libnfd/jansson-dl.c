/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* See jansson-dl.h: the trampolines into libjansson.so.4. */
#include <jansson.h> /* the real prototypes: no renaming in this file */
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>

#include "libnfd/dl.h"

#if NFD_ENABLE_DLOPEN

NFD_DLSYM(json_array);
NFD_DLSYM(json_array_append_new);
NFD_DLSYM(json_array_get);
NFD_DLSYM(json_array_insert_new);
NFD_DLSYM(json_array_remove);
NFD_DLSYM(json_array_size);
NFD_DLSYM(json_delete);
NFD_DLSYM(json_dumps);
NFD_DLSYM(json_false);
NFD_DLSYM(json_integer_value);
NFD_DLSYM(json_loadb);
NFD_DLSYM(json_loads);
NFD_DLSYM(json_null);
NFD_DLSYM(json_object);
NFD_DLSYM(json_object_get);
NFD_DLSYM(json_object_iter);
NFD_DLSYM(json_object_iter_key);
NFD_DLSYM(json_object_iter_next);
NFD_DLSYM(json_object_iter_value);
NFD_DLSYM(json_object_key_to_iter);
NFD_DLSYM(json_object_set_new);
NFD_DLSYM(json_object_size);
NFD_DLSYM(json_object_update);
NFD_DLSYM(json_vpack_ex);
NFD_DLSYM(json_real_value);
NFD_DLSYM(json_string);
NFD_DLSYM(json_string_length);
NFD_DLSYM(json_string_value);
NFD_DLSYM(json_true);

static atomic_int state; /* 0 not tried, 1 loaded, -1 failed */
static const char *load_msg;

static bool ready(void)
{
	int s = atomic_load_explicit(&state, memory_order_acquire);
	const char *msg = NULL;

	if (_likely_(s != 0))
		return s > 0;
	s = NFD_DLOPEN(
		&msg, "json",
		"JSON trees: OCI manifests and indexes, NodeFeatureRule output, fromJson/toJson",
		NFD_DLOPEN_REQUIRED, "libjansson.so.4", NFD_DLSYM_ARG(json_array),
		NFD_DLSYM_ARG(json_array_append_new), NFD_DLSYM_ARG(json_array_get),
		NFD_DLSYM_ARG(json_array_insert_new), NFD_DLSYM_ARG(json_array_remove),
		NFD_DLSYM_ARG(json_array_size), NFD_DLSYM_ARG(json_delete),
		NFD_DLSYM_ARG(json_dumps), NFD_DLSYM_ARG(json_false),
		NFD_DLSYM_ARG(json_integer_value), NFD_DLSYM_ARG(json_loadb),
		NFD_DLSYM_ARG(json_loads), NFD_DLSYM_ARG(json_null), NFD_DLSYM_ARG(json_object),
		NFD_DLSYM_ARG(json_object_get), NFD_DLSYM_ARG(json_object_iter),
		NFD_DLSYM_ARG(json_object_iter_key), NFD_DLSYM_ARG(json_object_iter_next),
		NFD_DLSYM_ARG(json_object_iter_value), NFD_DLSYM_ARG(json_object_key_to_iter),
		NFD_DLSYM_ARG(json_object_set_new), NFD_DLSYM_ARG(json_object_size),
		NFD_DLSYM_ARG(json_object_update), NFD_DLSYM_ARG(json_vpack_ex),
		NFD_DLSYM_ARG(json_real_value), NFD_DLSYM_ARG(json_string),
		NFD_DLSYM_ARG(json_string_length), NFD_DLSYM_ARG(json_string_value),
		NFD_DLSYM_ARG(json_true));
	if (s < 0)
		load_msg = msg; /* lives as long as the loader's static state */
	/* nfd__dlopen() ran once under its lock; every thread stores the same */
	atomic_store_explicit(&state, s < 0 ? -1 : 1, memory_order_release);
	return s >= 0;
}

/* jansson-dl.h's, which this file cannot include (it renames jansson) */
const char *nfd__jansson_unavailable(void);

const char *nfd__jansson_unavailable(void)
{
	return ready() ? NULL : load_msg ? load_msg : "libjansson.so.4 cannot be opened";
}

/* A parser's error when the library cannot be opened. */
static void fail_error(json_error_t *error)
{
	if (!error)
		return;
	*error = (json_error_t){.line = -1, .column = -1};
	snprintf(error->source, sizeof(error->source), "%s", "<libnfd>");
	/* the last byte of text is jansson's error code (json_error_code()) */
	snprintf(error->text, sizeof(error->text) - 1, "%s", load_msg ?: "libjansson.so.4");
}

/*
 * One trampoline per renamed function; each is first declared with the
 * type of the real function, so the compiler checks the copy.
 */
#define TRAMPOLINE(ret_type, name, fail, params, args)                                             \
	extern __typeof__(name) nfd__##name;                                                       \
	ret_type nfd__##name params                                                                \
	{                                                                                          \
		if (!ready())                                                                      \
			return fail;                                                               \
		return sym_##name args;                                                            \
	}

TRAMPOLINE(json_t *, json_array, NULL, (void), ())
TRAMPOLINE(json_t *, json_object, NULL, (void), ())
TRAMPOLINE(json_t *, json_true, NULL, (void), ())
TRAMPOLINE(json_t *, json_false, NULL, (void), ())
TRAMPOLINE(json_t *, json_null, NULL, (void), ())
TRAMPOLINE(json_t *, json_string, NULL, (const char *value), (value))
TRAMPOLINE(int, json_array_append_new, -1, (json_t * array, json_t *value), (array, value))
TRAMPOLINE(json_t *, json_array_get, NULL, (const json_t *array, size_t index), (array, index))
TRAMPOLINE(int, json_array_insert_new, -1, (json_t * array, size_t index, json_t *value),
	   (array, index, value))
TRAMPOLINE(int, json_array_remove, -1, (json_t * array, size_t index), (array, index))
TRAMPOLINE(size_t, json_array_size, 0, (const json_t *array), (array))
TRAMPOLINE(char *, json_dumps, NULL, (const json_t *json, size_t flags), (json, flags))
TRAMPOLINE(json_int_t, json_integer_value, 0, (const json_t *integer), (integer))
TRAMPOLINE(json_t *, json_object_get, NULL, (const json_t *object, const char *key), (object, key))
TRAMPOLINE(void *, json_object_iter, NULL, (json_t * object), (object))
TRAMPOLINE(const char *, json_object_iter_key, NULL, (void *iter), (iter))
TRAMPOLINE(void *, json_object_iter_next, NULL, (json_t * object, void *iter), (object, iter))
TRAMPOLINE(json_t *, json_object_iter_value, NULL, (void *iter), (iter))
TRAMPOLINE(void *, json_object_key_to_iter, NULL, (const char *key), (key))
TRAMPOLINE(int, json_object_set_new, -1, (json_t * object, const char *key, json_t *value),
	   (object, key, value))
TRAMPOLINE(size_t, json_object_size, 0, (const json_t *object), (object))
TRAMPOLINE(int, json_object_update, -1, (json_t * object, json_t *other), (object, other))
TRAMPOLINE(double, json_real_value, 0, (const json_t *real), (real))
TRAMPOLINE(size_t, json_string_length, 0, (const json_t *string), (string))
TRAMPOLINE(const char *, json_string_value, NULL, (const json_t *string), (string))

extern __typeof__(json_delete) nfd__json_delete;
void nfd__json_delete(json_t *json)
{
	/* reached only from json_decref() of a tree the library made */
	if (ready())
		sym_json_delete(json);
}

extern __typeof__(json_loadb) nfd__json_loadb;
json_t *nfd__json_loadb(const char *buffer, size_t buflen, size_t flags, json_error_t *error)
{
	if (!ready()) {
		fail_error(error);
		return NULL;
	}
	return sym_json_loadb(buffer, buflen, flags, error);
}

extern __typeof__(json_loads) nfd__json_loads;
json_t *nfd__json_loads(const char *input, size_t flags, json_error_t *error)
{
	if (!ready()) {
		fail_error(error);
		return NULL;
	}
	return sym_json_loads(input, flags, error);
}

extern __typeof__(json_pack) nfd__json_pack;
json_t *nfd__json_pack(const char *fmt, ...)
{
	va_list ap;
	json_t *j;

	if (!ready())
		return NULL;
	va_start(ap, fmt);
	j = sym_json_vpack_ex(NULL, 0, fmt, ap);
	va_end(ap);
	return j;
}

#endif
