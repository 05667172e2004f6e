/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ARRAY_SIZE() and container_of() (shared/macro.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "shared/macro.h"

struct outer {
	int a;
	char pad[3];
	double member;
	const char *last;
};

static void test_array_size(void **state)
{
	static const char *const names[] = {"a", "b", "c", NULL};
	int matrix[4][7];
	char buf[33];

	assert_int_equal(ARRAY_SIZE(names), 4);
	assert_int_equal(ARRAY_SIZE(matrix), 4);
	assert_int_equal(ARRAY_SIZE(matrix[0]), 7);
	assert_int_equal(ARRAY_SIZE(buf), 33);
	/* an integer constant expression: usable for array bounds and asserts */
	_Static_assert(ARRAY_SIZE(buf) == 33, "constant");
	int copy[ARRAY_SIZE(matrix)];
	assert_int_equal(sizeof(copy), 4 * sizeof(int));
}

static void test_container_of(void **state)
{
	struct outer o = {0};
	double *m = &o.member;
	const char **l = &o.last;
	const double *cm = &o.member;

	assert_ptr_equal(container_of(m, struct outer, member), &o);
	assert_ptr_equal(container_of(l, struct outer, last), &o);
	assert_ptr_equal(container_of(&o.a, struct outer, a), &o);
	/* a pointer to a const member finds the struct too */
	assert_ptr_equal(container_of(cm, struct outer, member), &o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_array_size),
		cmocka_unit_test(test_container_of),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
