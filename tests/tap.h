/*
 * tap.h - a tiny TAP producer for the unit tests (header only).
 *
 *   ok(cond, "what %d", x);   is_int(got, want, "what");   is_str(got, want, "what");
 *   skip_all("why");          return done_testing();
 *
 * Output is read by automake's tap-driver.sh.
 */
#ifndef GEOATTR_TAP_H
#define GEOATTR_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_count;
static int tap_failed;

__attribute__((format(printf, 2, 3), unused))
static int ok(int cond, const char *fmt, ...)
{
	va_list ap;

	tap_count++;
	if (!cond)
		tap_failed++;
	printf("%sok %d - ", cond ? "" : "not ", tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	return cond;
}

__attribute__((unused))
static int is_int(long long got, long long want, const char *what)
{
	if (!ok(got == want, "%s", what))
		printf("# got %lld, want %lld\n", got, want);
	return got == want;
}

__attribute__((unused))
static int is_str(const char *got, const char *want, const char *what)
{
	int same = got != NULL && want != NULL ? strcmp(got, want) == 0
	                                       : got == want;
	if (!ok(same, "%s", what))
		printf("# got \"%s\", want \"%s\"\n", got ? got : "(null)",
		       want ? want : "(null)");
	return same;
}

__attribute__((unused, noreturn))
static void skip_all(const char *why)
{
	printf("1..0 # SKIP %s\n", why);
	exit(0);
}

__attribute__((unused))
static int done_testing(void)
{
	printf("1..%d\n", tap_count);
	return tap_failed ? 1 : 0;
}

#endif
