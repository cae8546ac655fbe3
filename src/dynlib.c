/*
 * dynlib.c - dlopen() and dlsym() behind one call.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dynlib.h"
#include "util.h"

int dynlib_load(int *state, const char *soname, const char *env,
                const struct dynsym *syms, size_t nsyms, char *err, size_t errlen)
{
	static char why[512];
	const char *name = env != NULL && getenv(env) != NULL && getenv(env)[0] ?
	    getenv(env) : soname;
	void *h;
	size_t i;

	if (*state == 1)
		return 0;
	if (*state == -1) {
		errbuf_set(err, errlen, "%s", why);
		return -1;
	}
	h = dlopen(name, RTLD_NOW | RTLD_LOCAL);
	if (h == NULL) {
		const char *e = dlerror();

		snprintf(why, sizeof why, "cannot load %s: %s", name, e != NULL ? e : "not found");
		*state = -1;
		errbuf_set(err, errlen, "%s", why);
		return -1;
	}
	for (i = 0; i < nsyms; i++) {
		/* POSIX: a function pointer travels through dlsym's void *. */
		*syms[i].slot = dlsym(h, syms[i].name);
		if (*syms[i].slot == NULL) {
			snprintf(why, sizeof why, "cannot load %s: no function %s", name, syms[i].name);
			*state = -1;
			errbuf_set(err, errlen, "%s", why);
			return -1;
		}
	}
	*state = 1;
	return 0;
}
