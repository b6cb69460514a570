package dev.basenft.adapter.http.javalin;

import dev.basenft.adapter.http.javalin.internal.ApiResponse;
import dev.basenft.adapter.http.javalin.internal.ErrorMapping;
import dev.basenft.adapter.http.javalin.internal.HttpMetrics;
import dev.basenft.adapter.http.javalin.internal.Idempotency;
import dev.basenft.adapter.http.javalin.internal.Json;
import dev.basenft.adapter.http.javalin.internal.Problem;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.javalin.router.Endpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Everything {@link HttpApi} sets up around its routes: server limits, JSON, CORS, security headers, request metrics,
 * and problem documents for every error Javalin or Jetty raise themselves. Stateless.
 */
final class ServerPlumbing {

    private static final String OPENAPI_RESOURCE = "/dev/basenft/adapter/http/javalin/openapi.json";
    private static final int RESPONSE_COPY_BUFFER = 4 * 1024;
    /** How long a browser may reuse a preflight answer. */
    private static final int CORS_MAX_AGE_SECONDS = 600;

    private ServerPlumbing() {
    }

    /** Server limits, JSON, CORS, security headers, metrics per route, and problem documents for every error. */
    static void configure(JavalinConfig config, HttpSettings settings, HttpMetrics metrics) {
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        // Bodies are read through RequestBody's limit; Javalin's own limit is set to the larger one as a backstop.
        config.http.maxRequestSize = Math.max(settings.maxJsonBodyBytes(), settings.maxUploadBytes());
        config.http.prefer405over404 = true;
        config.http.defaultContentType = ApiResponse.JSON;
        // Javalin copies every result into the response through a buffer of this size, allocated per response; unset,
        // it is Jetty's output buffer (32 KiB), which for our answers (mostly under 1 KiB) was garbage made on every
        // request. Larger bodies just take more copies into Jetty's own buffer.
        config.http.responseBufferSize = RESPONSE_COPY_BUFFER;
        config.jsonMapper(new JavalinJackson(Json.mapper(), false));
        if (!settings.corsOrigins().isEmpty()) {
            config.bundledPlugins.enableCors(cors -> cors.addRule(rule -> {
                // Only the named origins, and no cookies: callers authenticate with a bearer token their page adds
                // itself.
                String[] origins = settings.corsOrigins().toArray(String[]::new);
                rule.allowHost(origins[0], Arrays.copyOfRange(origins, 1, origins.length));
                rule.maxAge = CORS_MAX_AGE_SECONDS;
                // Headers scripts must read and browsers hide from other origins unless told.
                List.of("Location", "Retry-After", Idempotency.REPLAYED_HEADER, "WWW-Authenticate").forEach(rule::exposeHeader);
            }));
        }
        config.requestLogger.http((ctx, ms) -> metrics.record(ctx.method().name(), routeOf(ctx), ctx.statusCode(),
                Duration.ofNanos((long) (ms * 1_000_000))));

        config.routes.before(ctx -> {
            ctx.header("X-Content-Type-Options", "nosniff");
            ctx.header("Cache-Control", "no-store");
        });
        config.routes.exception(HttpResponseException.class, (e, ctx) -> RouteHandlers.write(ctx, fromJavalin(e)));
        config.routes.exception(Exception.class, (e, ctx) -> RouteHandlers.write(ctx, ErrorMapping.toResponse(e)));
        for (int status : List.of(400, 404, 405, 413, 500)) {
            config.routes.error(status, ctx -> {
                // Only fills in answers Javalin or Jetty produced without a body; ours are already problem documents.
                String type = ctx.res().getContentType();
                if (type == null || !type.startsWith(Problem.MEDIA_TYPE)) {
                    RouteHandlers.write(ctx, ApiResponse.problem(Problem.of(kindFor(ctx.statusCode()), describe(ctx))));
                }
            });
        }
    }

    /** The OpenAPI document shipped in the jar. */
    static byte[] readOpenApi() {
        try (InputStream in = HttpApi.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + OPENAPI_RESOURCE + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ApiResponse fromJavalin(HttpResponseException e) {
        int status = e.getStatus() >= 400 && e.getStatus() <= 599 ? e.getStatus() : 500;
        return ApiResponse.problem(new Problem(kindFor(status).type(), kindFor(status).title(), status,
                e.getMessage() == null || e.getMessage().isBlank() ? "HTTP " + status : e.getMessage(), List.of(), Map.of(),
                Map.of()));
    }

    private static Problem.Kind kindFor(int status) {
        return switch (status) {
            case 404 -> Problem.Kind.NOT_FOUND;
            case 405 -> Problem.Kind.METHOD_NOT_ALLOWED;
            case 413 -> Problem.Kind.PAYLOAD_TOO_LARGE;
            case 500 -> Problem.Kind.INTERNAL;
            default -> Problem.Kind.BAD_REQUEST;
        };
    }

    private static String describe(Context ctx) {
        return switch (ctx.statusCode()) {
            case 404 -> "no route " + ctx.method().name() + " " + ctx.path() + "; GET /openapi.json lists them";
            case 405 -> "route " + ctx.path() + " does not accept " + ctx.method().name();
            case 413 -> "the request body is too large";
            case 500 -> "an unexpected error occurred";
            default -> "the request could not be processed";
        };
    }

    private static String routeOf(Context ctx) {
        try {
            Endpoint endpoint = ctx.endpoints().lastHttpEndpoint();
            return endpoint == null ? "unmatched" : endpoint.path;
        } catch (RuntimeException e) {
            return "unmatched";
        }
    }
}
