/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef NFD_COMMON_H
#define NFD_COMMON_H

/*
 * NFD_WARN_UNUSED marks the calls whose result must be checked: those that
 * create an object or can fail for more than a bad argument.  Ignoring their
 * result is a compiler warning (an error with -Werror).
 */
#if defined(__GNUC__) || defined(__clang__)
#define NFD_WARN_UNUSED __attribute__((warn_unused_result))
#else
#define NFD_WARN_UNUSED
#endif

#endif
