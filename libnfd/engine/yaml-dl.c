/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* See yaml-dl.h: libyaml is opened when the first spec is parsed. */
#define NFD_YAML_DL_IMPLEMENTATION
#include "libnfd/engine/yaml-dl.h"
#include "libnfd/dl.h"

struct nfd_yaml_api nfd__yaml;

#define SYM(field)                                                                                 \
	{                                                                                          \
		"yaml_" #field, (void **)&nfd__yaml.field                                          \
	}
static const struct nfd_dl_sym syms[] = {
	SYM(parser_initialize), SYM(parser_delete), SYM(parser_set_input_string),
	SYM(parser_parse),	SYM(event_delete),
};

static struct nfd_dl_lib lib = {"libyaml-0.so.2", syms, sizeof(syms) / sizeof(syms[0])};

int nfd__yaml_dl_load(const char **ret_msg)
{
	return nfd__dl_load(&lib, ret_msg);
}
