/*
 * fetch.c - HTTP(S) downloads over libcurl.  See fetch.h.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The calls go through the table below, so curl's type-checking macros
 * (which would expand to the direct symbols) are not wanted here. */
#define CURL_DISABLE_TYPECHECK
#include <curl/curl.h>

#include "fetch.h"
#include "util.h"

/*
 * libcurl is loaded when a download is first needed, not linked: linking
 * it pulls about 35 shared libraries (TLS, HTTP/2, LDAP, Kerberos ...)
 * into every start of geoattr, which made a one-address lookup four
 * times slower, although only `update` and RDAP ever download.
 */
static struct {
	int state;              /* 0 not tried, 1 loaded, -1 failed */
	void *handle;
	CURLcode (*global_init)(long);
	void (*global_cleanup)(void);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_perform)(CURL *);
	CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
	void (*easy_cleanup)(CURL *);
	const char *(*easy_strerror)(CURLcode);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void (*slist_free_all)(struct curl_slist *);
} lc;

#undef curl_easy_setopt
#undef curl_easy_getinfo
#define curl_global_init lc.global_init
#define curl_global_cleanup lc.global_cleanup
#define curl_easy_init lc.easy_init
#define curl_easy_setopt lc.easy_setopt
#define curl_easy_perform lc.easy_perform
#define curl_easy_getinfo lc.easy_getinfo
#define curl_easy_cleanup lc.easy_cleanup
#define curl_easy_strerror lc.easy_strerror
#define curl_slist_append lc.slist_append
#define curl_slist_free_all lc.slist_free_all

/* POSIX's way to turn dlsym's object pointer into a function pointer. */
#define LOAD(field, name) \
	(*(void **)(&lc.field) = dlsym(lc.handle, name)) != NULL

static int load_curl(void)
{
	if (lc.state != 0)
		return lc.state > 0 ? 0 : -1;
	lc.state = -1;
	lc.handle = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
	if (lc.handle == NULL)
		lc.handle = dlopen("libcurl.so", RTLD_NOW | RTLD_LOCAL);
	if (lc.handle == NULL)
		return -1;
	if (LOAD(global_init, "curl_global_init") &&
	    LOAD(global_cleanup, "curl_global_cleanup") &&
	    LOAD(easy_init, "curl_easy_init") &&
	    LOAD(easy_setopt, "curl_easy_setopt") &&
	    LOAD(easy_perform, "curl_easy_perform") &&
	    LOAD(easy_getinfo, "curl_easy_getinfo") &&
	    LOAD(easy_cleanup, "curl_easy_cleanup") &&
	    LOAD(easy_strerror, "curl_easy_strerror") &&
	    LOAD(slist_append, "curl_slist_append") &&
	    LOAD(slist_free_all, "curl_slist_free_all") &&
	    lc.global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK) {
		lc.state = 1;
		return 0;
	}
	dlclose(lc.handle);
	lc.handle = NULL;
	return -1;
}

struct xfer {
	const struct fetch_opts *o;
	struct buf body;
	int too_big;
	char *etag;
	char *last_modified;
	char status[96];        /* status line of the latest response */
	/* progress bar state */
	int drawn;
	curl_off_t last_now;
};

static size_t on_body(char *p, size_t size, size_t n, void *ctx)
{
	struct xfer *x = ctx;
	size_t len = size * n;

	/* The ceiling is checked on the bytes actually received: a chunked
	 * answer or a lying Content-Length gets no further than this. */
	if (len > x->o->max_size || x->body.len > x->o->max_size - len) {
		x->too_big = 1;
		return 0;
	}
	buf_add(&x->body, p, len);
	return len;
}

/* "Name: value" header line -> value without surrounding space, or NULL. */
static char *header_value(const char *line, size_t len, const char *name)
{
	size_t nl = strlen(name), a, b;

	if (len <= nl || line[nl] != ':' || strncasecmp(line, name, nl) != 0)
		return NULL;
	a = nl + 1;
	b = len;
	while (a < b && (line[a] == ' ' || line[a] == '\t'))
		a++;
	while (b > a && (line[b - 1] == '\r' || line[b - 1] == '\n' ||
	                 line[b - 1] == ' ' || line[b - 1] == '\t'))
		b--;
	if (a == b)
		return NULL;
	return xstrndup(line + a, b - a);
}

static size_t on_header(char *p, size_t size, size_t n, void *ctx)
{
	struct xfer *x = ctx;
	size_t len = size * n, k;
	char *v;

	if (len >= 5 && strncmp(p, "HTTP/", 5) == 0) {
		/* A new response (after a redirect): forget the last one's
		 * validators, which belong to another URL. */
		free(x->etag);
		free(x->last_modified);
		x->etag = x->last_modified = NULL;
		k = len;
		while (k > 0 && (p[k - 1] == '\r' || p[k - 1] == '\n'))
			k--;
		if (k >= sizeof(x->status))
			k = sizeof(x->status) - 1;
		memcpy(x->status, p, k);
		x->status[k] = '\0';
		return len;
	}
	if ((v = header_value(p, len, "ETag")) != NULL) {
		free(x->etag);
		x->etag = v;
	} else if ((v = header_value(p, len, "Last-Modified")) != NULL) {
		free(x->last_modified);
		x->last_modified = v;
	}
	return len;
}

static int on_progress(void *ctx, curl_off_t dltotal, curl_off_t dlnow,
                       curl_off_t ultotal, curl_off_t ulnow)
{
	struct xfer *x = ctx;
	int width = 30, fill, i;

	(void)ultotal;
	(void)ulnow;
	/* Redraw only on news: curl calls this many times a second. */
	if (dlnow == x->last_now && x->drawn)
		return 0;
	x->last_now = dlnow;
	x->drawn = 1;
	if (dltotal > 0) {
		fill = (int)(dlnow * width / dltotal);
		if (fill > width)
			fill = width;
		fprintf(stderr, "\r%-24.24s [", x->o->label ? x->o->label : "");
		for (i = 0; i < width; i++)
			fputc(i < fill ? '#' : ' ', stderr);
		fprintf(stderr, "] %7.1f / %.1f KiB", (double)dlnow / 1024,
		        (double)dltotal / 1024);
	} else {
		fprintf(stderr, "\r%-24.24s %7.1f KiB", x->o->label ? x->o->label : "",
		        (double)dlnow / 1024);
	}
	fflush(stderr);
	return 0;
}

int fetch_global_init(void)
{
	if (load_curl() != 0) {
		msg_error("libcurl", "cannot load libcurl.so.4 (install the Debian package libcurl4)");
		return -1;
	}
	return 0;
}

void fetch_global_cleanup(void)
{
	if (lc.state > 0) {
		curl_global_cleanup();
		/* Not dlclose()d: TLS libraries register exit handlers. */
		lc.state = 0;
	}
}

void fetch_result_free(struct fetch_result *r)
{
	if (r == NULL)
		return;
	free(r->data);
	free(r->etag);
	free(r->last_modified);
	r->data = r->etag = r->last_modified = NULL;
	r->len = 0;
}

static void describe(CURLcode cc, const char *errbuf, const struct xfer *x,
                     struct fetch_result *r)
{
	const char *detail = errbuf[0] ? errbuf : curl_easy_strerror(cc);

	switch (cc) {
	case CURLE_OPERATION_TIMEDOUT:
		snprintf(r->err, sizeof(r->err), "timed out after %ld s (%s)",
		         x->o->timeout, detail);
		break;
	case CURLE_PARTIAL_FILE:
		snprintf(r->err, sizeof(r->err), "download incomplete (%s)", detail);
		break;
	case CURLE_TOO_MANY_REDIRECTS:
		snprintf(r->err, sizeof(r->err), "more than %d redirects (%s)",
		         FETCH_MAX_REDIRS, detail);
		break;
	case CURLE_PEER_FAILED_VERIFICATION:
#if LIBCURL_VERSION_NUM < 0x073e00
	case CURLE_SSL_CACERT:
#endif
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CACERT_BADFILE:
		snprintf(r->err, sizeof(r->err), "TLS: %s", detail);
		break;
	default:
		snprintf(r->err, sizeof(r->err), "%s", detail);
		break;
	}
}

int fetch_get(const char *url, const struct fetch_opts *o,
              struct fetch_result *r)
{
	struct xfer x;
	struct curl_slist *hdrs = NULL;
	char errbuf[CURL_ERROR_SIZE];
	char *h;
	CURL *c;
	CURLcode cc;
	int st;
	int https = strncasecmp(url, "https://", 8) == 0;

	memset(r, 0, sizeof(*r));
	memset(&x, 0, sizeof(x));
	x.o = o;
	buf_init(&x.body);
	errbuf[0] = '\0';
	if (!https && strncasecmp(url, "http://", 7) != 0) {
		snprintf(r->err, sizeof(r->err), "not an http or https URL: %s", url);
		return FETCH_ERR_TRANSFER;
	}
	if (load_curl() != 0) {
		snprintf(r->err, sizeof(r->err), "cannot load libcurl.so.4 (install libcurl4)");
		return FETCH_ERR_TRANSFER;
	}
	c = curl_easy_init();
	if (c == NULL) {
		snprintf(r->err, sizeof(r->err), "cannot start libcurl");
		return FETCH_ERR_TRANSFER;
	}
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "geoattr/" PACKAGE_VERSION);
	/* A downgrade from https to http on redirect is refused. */
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, https ? "https" : "http,https");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, https ? "https" : "http,https");
#else
	curl_easy_setopt(c, CURLOPT_PROTOCOLS, https ? CURLPROTO_HTTPS
	                 : CURLPROTO_HTTP | CURLPROTO_HTTPS);
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS, https ? CURLPROTO_HTTPS
	                 : CURLPROTO_HTTP | CURLPROTO_HTTPS);
#endif
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, (long)FETCH_MAX_REDIRS);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	if (o->cacert != NULL)
		curl_easy_setopt(c, CURLOPT_CAINFO, o->cacert);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, o->timeout);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, o->timeout < 20 ? o->timeout : 20L);
	/* Reject early when the server announces too much; on_body() still
	 * counts, for answers without a length. */
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_size);
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &x);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &x);
	if (o->progress) {
		curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
		curl_easy_setopt(c, CURLOPT_XFERINFODATA, &x);
		curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	}
	if (o->etag != NULL) {
		h = xasprintf("If-None-Match: %s", o->etag);
		hdrs = curl_slist_append(hdrs, h);
		free(h);
	}
	if (o->last_modified != NULL) {
		h = xasprintf("If-Modified-Since: %s", o->last_modified);
		hdrs = curl_slist_append(hdrs, h);
		free(h);
	}
	if (o->accept != NULL) {
		h = xasprintf("Accept: %s", o->accept);
		hdrs = curl_slist_append(hdrs, h);
		free(h);
	}
	if (hdrs != NULL)
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);

	cc = curl_easy_perform(c);
	if (x.drawn)
		fputc('\n', stderr);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->http_code);
	if (x.too_big || cc == CURLE_FILESIZE_EXCEEDED) {
		snprintf(r->err, sizeof(r->err),
		         "answer larger than the limit of %zu bytes (--max-size)",
		         o->max_size);
		st = FETCH_ERR_TOO_BIG;
	} else if (cc != CURLE_OK) {
		describe(cc, errbuf, &x, r);
		st = FETCH_ERR_TRANSFER;
	} else if (r->http_code == 304 && (o->etag || o->last_modified)) {
		st = FETCH_NOT_MODIFIED;
	} else if (r->http_code != 200) {
		snprintf(r->err, sizeof(r->err), "server answered %s",
		         x.status[0] ? x.status : "with no status");
		st = FETCH_ERR_HTTP;
	} else {
		st = FETCH_OK;
	}
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(c);
	if (st == FETCH_OK) {
		buf_addc(&x.body, '\0');
		r->data = x.body.data;
		r->len = x.body.len - 1;
		r->etag = x.etag;
		r->last_modified = x.last_modified;
		return st;
	}
	buf_free(&x.body);
	if (st == FETCH_NOT_MODIFIED) {
		r->etag = x.etag;
		r->last_modified = x.last_modified;
	} else {
		free(x.etag);
		free(x.last_modified);
	}
	return st;
}
