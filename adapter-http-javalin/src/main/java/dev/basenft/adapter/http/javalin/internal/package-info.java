/**
 * The adapter's internals: routes, JSON and problem handling, idempotency, uploads, metrics, readiness, OpenAPI, and the Quick
 * Auth verifier. Not API: only {@code dev.basenft.adapter.http.javalin} is, and these classes may change at any time.
 */
package dev.basenft.adapter.http.javalin.internal;
