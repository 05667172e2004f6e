/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Optional libraries opened on first use, one pattern for all (libyaml,
 * PCRE2, libcrypto, libssl, libkmod, libblkid).  A linked library costs
 * every process its loading and relocation at start-up, needed or not;
 * `nfd export features` needs none of these on most hosts.
 *
 * The file that calls a library declares one pointer per function, typed
 * from the library's own header, and a loader that says where to find it:
 *
 *	#include <libkmod.h>
 *	#include "libnfd/dl.h"
 *
 *	NFD_DLSYM(kmod_new);
 *	NFD_DLSYM(kmod_unref);
 *
 *	static int load_libkmod(const char **ret_msg)
 *	{
 *		return NFD_DLOPEN(ret_msg, "kmod", "kernel modules", NFD_DLOPEN_SUGGESTED,
 *				  "libkmod.so.2", NFD_DLSYM_ARG(kmod_new),
 *				  NFD_DLSYM_ARG(kmod_unref));
 *	}
 *
 * and calls sym_kmod_new(...) once load_libkmod() returned 0.  The pointer
 * types come from typeof(&kmod_new), so a prototype cannot drift from the
 * header.  Each loader leaves an ELF note (.note.dlopen, the format of
 * https://systemd.io/ELF_DLOPEN_METADATA/, as systemd and kmod write it)
 * naming the SONAME, so packaging tools see the dependency:
 *
 *	readelf -p .note.dlopen libnfd.so.1
 *
 * Built with --disable-dlopen, the libraries are linked instead: each
 * sym_<name> is then a constant pointer to the function itself, the
 * loaders return 0 and no notes are written.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "shared/macro.h"

/* The priorities of the note: how much of libnfd is lost without the library. */
#define NFD_DLOPEN_REQUIRED    "required"
#define NFD_DLOPEN_RECOMMENDED "recommended"
#define NFD_DLOPEN_SUGGESTED   "suggested"

#define NFD_DL_STR_(x) #x
#define NFD_DL_STR(x)  NFD_DL_STR_(x)

#if NFD_ENABLE_DLOPEN

struct nfd_dl_sym {
	void **slot; /* where dlsym()'s result goes */
	const char *name;
};

struct nfd_dl_lib {
	const char *soname;
	/* set by nfd__dlopen() */
	bool done;
	int result;
	char msg[256];
};

/*
 * Open lib->soname (RTLD_NOW | RTLD_LOCAL; kept open for the life of the
 * process, as a linked library would be) and fill every slot, once per
 * process and thread-safe.  Returns 0, or -ENOTSUP with a message that
 * lives as long as lib in *ret_msg (ret_msg may be NULL).
 */
int nfd__dlopen(struct nfd_dl_lib *lib, const struct nfd_dl_sym *syms, size_t n_syms,
		const char **ret_msg);

/* The pointer through which the file calls sym; its type is the header's. */
#define NFD_DLSYM(sym) static __typeof__(&sym) sym_##sym

/* An entry of NFD_DLOPEN()'s list; the name is the one the header's macros
 * expand sym to (pcre2_compile is pcre2_compile_8). */
#define NFD_DLSYM_ARG(sym)                                                                         \
	{                                                                                          \
		(void **)&sym_##sym, NFD_DL_STR(sym)                                               \
	}

/* The ELF note for one library (systemd's ELF_NOTE_DLOPEN). */
#define NFD_ELF_NOTE_DLOPEN_VENDOR "FDO"
#define NFD_ELF_NOTE_DLOPEN_TYPE   UINT32_C(0x407c0c0a)
#define NFD_ELF_NOTE_DLOPEN(feature_, description_, priority_, soname_)                            \
	NFD_ELF_NOTE_DLOPEN_JSON_("[{\"feature\":\"" feature_ "\",\"description\":\"" description_ \
				  "\",\"priority\":\"" priority_ "\",\"soname\":[\"" soname_       \
				  "\"]}]")
#define NFD_ELF_NOTE_DLOPEN_JSON_(json_)                                                           \
	__attribute__((used, section(".note.dlopen"))) _Alignas(                                   \
		sizeof(uint32_t)) static const struct {                                            \
		struct {                                                                           \
			uint32_t n_namesz, n_descsz, n_type;                                       \
		} nhdr;                                                                            \
		char name[sizeof(NFD_ELF_NOTE_DLOPEN_VENDOR)];                                     \
		_Alignas(sizeof(uint32_t)) char json[sizeof(json_)];                               \
	} nfd_dlopen_note = {                                                                      \
		.nhdr = {sizeof(NFD_ELF_NOTE_DLOPEN_VENDOR), sizeof(json_),                        \
			 NFD_ELF_NOTE_DLOPEN_TYPE},                                                \
		.name = NFD_ELF_NOTE_DLOPEN_VENDOR,                                                \
		.json = json_,                                                                     \
	}

/*
 * The body of a loader: the note, then nfd__dlopen() of soname with the
 * NFD_DLSYM_ARG() entries that follow.  Evaluates to 0 or -ENOTSUP.
 */
#define NFD_DLOPEN(ret_msg, feature_, description_, priority_, soname_, ...)                       \
	({                                                                                         \
		NFD_ELF_NOTE_DLOPEN(feature_, description_, priority_, soname_);                   \
		static struct nfd_dl_lib nfd_dl_lib_ = {.soname = soname_};                        \
		static const struct nfd_dl_sym nfd_dl_syms_[] = {__VA_ARGS__};                     \
		nfd__dlopen(&nfd_dl_lib_, nfd_dl_syms_, ARRAY_SIZE(nfd_dl_syms_), (ret_msg));      \
	})

#else /* the libraries are linked */

#define NFD_DLSYM(sym)	   static __typeof__(&sym) const sym_##sym = &sym
#define NFD_DLSYM_ARG(sym) NFD_DL_STR(sym)
#define NFD_DLOPEN(ret_msg, feature_, description_, priority_, soname_, ...)                       \
	({                                                                                         \
		(void)(ret_msg);                                                                   \
		0;                                                                                 \
	})

#endif
