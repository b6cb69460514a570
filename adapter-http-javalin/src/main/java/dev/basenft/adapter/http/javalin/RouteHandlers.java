package dev.basenft.adapter.http.javalin;

import dev.basenft.adapter.http.javalin.internal.ApiResponse;
import dev.basenft.adapter.http.javalin.internal.ErrorMapping;
import dev.basenft.adapter.http.javalin.internal.Idempotency;
import dev.basenft.adapter.http.javalin.internal.MediaType;
import dev.basenft.adapter.http.javalin.internal.RequestBody;
import dev.basenft.core.model.Fid;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.Supplier;

/**
 * Wraps route actions into Javalin handlers: open, authenticated, or authenticated {@code POST}s with their
 * {@code Idempotency-Key} and body limit; every failure becomes a problem document. Kept apart from {@link HttpApi} so
 * its route table stays one screen.
 *
 * <p>Thread-safe.
 */
final class RouteHandlers {

    @FunctionalInterface
    interface OpenAction {
        ApiResponse run(Context ctx);
    }

    @FunctionalInterface
    interface AuthedAction {
        ApiResponse run(Context ctx, Fid caller);
    }

    @FunctionalInterface
    interface PostAction {
        ApiResponse run(Context ctx, Fid caller, RequestBody body);
    }

    private final Authenticator authenticator;
    private final Idempotency idempotency;

    RouteHandlers(Authenticator authenticator, Idempotency idempotency) {
        this.authenticator = authenticator;
        this.idempotency = idempotency;
    }

    static Handler open(OpenAction action) {
        return ctx -> write(ctx, guarded(() -> action.run(ctx)));
    }

    Handler authed(AuthedAction action) {
        return ctx -> write(ctx, guarded(() -> action.run(ctx, authenticator.authenticate(ctx.header("Authorization")))));
    }

    /** Authentication, then the Idempotency-Key, then the body through its limit, then the action, once per key. */
    Handler authedPost(long limit, PostAction action) {
        return ctx -> write(ctx, guarded(() -> {
            Fid caller = authenticator.authenticate(ctx.header("Authorization"));
            String key = Idempotency.requireKey(ctx.header(Idempotency.HEADER));
            RequestBody body = new RequestBody(() -> requestStream(ctx), limit, ctx.req().getContentLengthLong(),
                    ctx.method().name(), ctx.path(), MediaType.parse(ctx.contentType()).type());
            return idempotency.execute(caller, key, body, () -> guarded(() -> action.run(ctx, caller, body)));
        }));
    }

    static MediaType mediaType(Context ctx) {
        return MediaType.parse(ctx.header("Content-Type"));
    }

    /** Writes a whole answer: status, headers, content type, body. Called once per request. */
    static void write(Context ctx, ApiResponse response) {
        ctx.status(response.status());
        response.headers().forEach(ctx::header);
        ctx.contentType(response.contentType());
        // Straight into Javalin's response stream (so compression still applies): the body is a byte[] already, and
        // ctx.result(bytes) would wrap it in a stream and copy it over through a buffer allocated for every response.
        // Called once per request: an error handler only writes when no problem document was written before it.
        try {
            ctx.outputStream().write(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ApiResponse guarded(Supplier<ApiResponse> action) {
        try {
            return action.get();
        } catch (RuntimeException e) {
            return ErrorMapping.toResponse(e);
        }
    }

    private static InputStream requestStream(Context ctx) {
        try {
            return ctx.req().getInputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
