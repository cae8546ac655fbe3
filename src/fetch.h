/*
 * fetch.h - the downloader: one HTTP(S) GET into memory, over libcurl
 * (the only module that includes curl.h).
 *
 * Always on, never optional: certificate and host name verification,
 * a connect and a total timeout, a size ceiling enforced while the body
 * arrives (a server that lies about or omits Content-Length cannot make
 * us hold more), at most FETCH_MAX_REDIRS redirects, and only the http
 * and https protocols (https only, once the first URL was https).
 * Conditional requests: when etag or last_modified is given, the request
 * carries If-None-Match / If-Modified-Since and a 304 answer gives
 * FETCH_NOT_MODIFIED with no body.
 *
 * Ownership: fetch_get() fills a caller-owned struct fetch_result whose
 * strings it allocates; fetch_result_free() releases them (and accepts a
 * zeroed or already freed result).
 */
#ifndef GEOATTR_FETCH_H
#define GEOATTR_FETCH_H

#include <stddef.h>

#define FETCH_MAX_REDIRS 5

struct fetch_opts {
	long timeout;              /* seconds for the whole transfer, > 0 */
	size_t max_size;           /* largest body accepted, bytes */
	const char *cacert;        /* PEM bundle to trust instead of the system's, or NULL */
	const char *etag;          /* from the last download, or NULL */
	const char *last_modified; /* HTTP date from the last download, or NULL */
	int progress;              /* draw a progress bar on stderr */
	const char *label;         /* name shown beside the progress bar */
	const char *accept;        /* Accept header value, or NULL for curl's default */
};

enum fetch_status {
	FETCH_OK = 0,          /* 200: body in data/len */
	FETCH_NOT_MODIFIED,    /* 304 to a conditional request */
	FETCH_ERR_HTTP,        /* the server answered with another status */
	FETCH_ERR_TOO_BIG,     /* body larger than max_size */
	FETCH_ERR_TRANSFER     /* DNS, connect, TLS, timeout, short body, ... */
};

struct fetch_result {
	char *data;            /* NUL-terminated for convenience; use len */
	size_t len;
	long http_code;        /* 0 when no answer arrived */
	char *etag;            /* of the final response, or NULL */
	char *last_modified;   /* of the final response, or NULL */
	char err[256];         /* why, when the status is not FETCH_OK/NOT_MODIFIED */
};

/* Once per process, before any fetch_get(); returns 0 or -1. */
int fetch_global_init(void);
void fetch_global_cleanup(void);

/* Download url.  Returns an enum fetch_status; r->err says why on error. */
int fetch_get(const char *url, const struct fetch_opts *o,
              struct fetch_result *r);
void fetch_result_free(struct fetch_result *r);

#endif
