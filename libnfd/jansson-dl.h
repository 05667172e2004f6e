/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Jansson, opened on first use (libnfd/dl.h).  Include this instead of
 * <jansson.h>.  Only the OCI documents, NodeFeatureRule output and the
 * fromJson/toJson template functions build JSON trees; `nfd export
 * features`, `nfd compat validate-node` and the runtime hook's start do
 * not, and a linked libjansson.so.4 cost every process its loading and
 * relocation at start-up.
 *
 * Each jansson function used here is renamed, before <jansson.h> declares
 * it, to a trampoline in jansson-dl.c with the same prototype (so
 * <jansson.h>'s own inline helpers and macros, json_decref() calling
 * json_delete() or json_object_foreach(), go through them too).  A
 * trampoline opens the library on its first call; when that fails, those
 * that make a tree (json_object(), json_pack(), json_loadb(), ...) return
 * NULL, the parsers with the loader's message in their json_error_t, so
 * every caller's existing error path reports it.  No tree can exist
 * without the library, so the others are never reached then (they return
 * 0 or NULL all the same).
 *
 * A function not in the list below fails the link of libnfd (which gets
 * no -ljansson): add it here and in jansson-dl.c.  Built with
 * --disable-dlopen, this is <jansson.h> and libjansson is linked.
 */
#pragma once

#if NFD_ENABLE_DLOPEN
#define json_array		nfd__json_array
#define json_array_append_new	nfd__json_array_append_new
#define json_array_get		nfd__json_array_get
#define json_array_insert_new	nfd__json_array_insert_new
#define json_array_remove	nfd__json_array_remove
#define json_array_size		nfd__json_array_size
#define json_delete		nfd__json_delete
#define json_dumps		nfd__json_dumps
#define json_false		nfd__json_false
#define json_integer_value	nfd__json_integer_value
#define json_loadb		nfd__json_loadb
#define json_loads		nfd__json_loads
#define json_null		nfd__json_null
#define json_object		nfd__json_object
#define json_object_get		nfd__json_object_get
#define json_object_iter	nfd__json_object_iter
#define json_object_iter_key	nfd__json_object_iter_key
#define json_object_iter_next	nfd__json_object_iter_next
#define json_object_iter_value	nfd__json_object_iter_value
#define json_object_key_to_iter nfd__json_object_key_to_iter
#define json_object_set_new	nfd__json_object_set_new
#define json_object_size	nfd__json_object_size
#define json_object_update	nfd__json_object_update
#define json_pack		nfd__json_pack
#define json_real_value		nfd__json_real_value
#define json_string		nfd__json_string
#define json_string_length	nfd__json_string_length
#define json_string_value	nfd__json_string_value
#define json_true		nfd__json_true
#endif

#include <jansson.h>

/*
 * NULL when jansson is usable (opened now if it was not yet), else why not
 * ("libjansson.so.4 has no json_array: too old"; static storage).  For
 * callers that build trees, so that a missing library reads as that and
 * not as the "out of memory" of a NULL json_object().
 */
#if NFD_ENABLE_DLOPEN
const char *nfd__jansson_unavailable(void);
#else
static inline const char *nfd__jansson_unavailable(void)
{
	return NULL;
}
#endif
