/**
 * The REST API on Javalin, with Farcaster Quick Auth (docs/architecture.md#http-api, #authentication).
 *
 * <p>{@link dev.basenft.adapter.http.javalin.HttpApi} is the entry point: built from core's use cases, an
 * {@link dev.basenft.adapter.http.javalin.Authenticator} (usually
 * {@link dev.basenft.adapter.http.javalin.QuickAuthAuthenticator}), {@link dev.basenft.adapter.http.javalin.HttpSettings}
 * and the application's {@link dev.basenft.adapter.http.javalin.ReadinessCheck}s. Everything under {@code .internal} is
 * not API and may change at any time.
 */
package dev.basenft.adapter.http.javalin;
