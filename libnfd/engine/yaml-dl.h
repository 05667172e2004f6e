/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libyaml, opened on first use (see dl.h): only spec parsing needs it, not
 * discovery, evaluation of exported features or `nfd export features`.
 * Include this after <yaml.h> in the one file that calls libyaml, and call
 * nfd__yaml_dl_load() first: the yaml_* names below then go through the
 * loaded table.
 */
#pragma once

#include <yaml.h>

struct nfd_yaml_api {
	int (*parser_initialize)(yaml_parser_t *parser);
	void (*parser_delete)(yaml_parser_t *parser);
	void (*parser_set_input_string)(yaml_parser_t *parser, const unsigned char *input,
					size_t size);
	int (*parser_parse)(yaml_parser_t *parser, yaml_event_t *event);
	void (*event_delete)(yaml_event_t *event);
};

extern struct nfd_yaml_api nfd__yaml;

/*
 * Load libyaml once per process (thread-safe) and fill nfd__yaml.
 * Returns 0, or -ENOTSUP with a static message in *ret_msg (may be NULL).
 */
int nfd__yaml_dl_load(const char **ret_msg);

#ifndef NFD_YAML_DL_IMPLEMENTATION
#define yaml_parser_initialize	     nfd__yaml.parser_initialize
#define yaml_parser_delete	     nfd__yaml.parser_delete
#define yaml_parser_set_input_string nfd__yaml.parser_set_input_string
#define yaml_parser_parse	     nfd__yaml.parser_parse
#define yaml_event_delete	     nfd__yaml.event_delete
#endif
