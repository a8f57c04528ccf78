/*
 * api: the application behind worlds-api: the route table, authentication and tenancy
 * on every request, validation, and the handlers for jobs, manifests and the rest.
 */
#ifndef WORLDS_API_H
#define WORLDS_API_H

#include "http/http.h"

/* Plugged into http_serve() by worlds-api's main(). */
extern const struct http_app api_app;

#endif
