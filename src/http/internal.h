/* Shared between the master and the worker code of the http module only. */
#ifndef WORLDS_HTTP_INTERNAL_H
#define WORLDS_HTTP_INTERNAL_H

struct conf;
struct http_app;

/* The worker's whole life; returns its exit status. */
int http_worker_run(const struct conf *c, int listen_fd, const struct http_app *app,
    void *shared);

#endif
