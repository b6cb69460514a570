package dev.basenft.adapter.http.javalin;

import dev.basenft.adapter.http.javalin.internal.ApiResponse;
import dev.basenft.adapter.http.javalin.internal.CampaignEndpoints;
import dev.basenft.adapter.http.javalin.internal.CampaignEvents;
import dev.basenft.adapter.http.javalin.internal.ErrorMapping;
import dev.basenft.adapter.http.javalin.internal.Problem;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.Fid;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /api/campaigns/{id}/events}: a campaign's live progress as Server-Sent Events. Authenticated like any read
 * (a browser's EventSource cannot send the header, the console reads the stream with fetch), then the request is
 * suspended and {@link CampaignEvents}'s one thread writes to it; no request thread waits.
 *
 * <p>Thread-safe.
 */
final class EventStreamRoute {

    private final Authenticator authenticator;
    private final CampaignEndpoints endpoints;
    private final CampaignEvents events;

    EventStreamRoute(Authenticator authenticator, CampaignEndpoints endpoints, CampaignEvents events) {
        this.authenticator = authenticator;
        this.endpoints = endpoints;
        this.events = events;
    }

    void handle(Context ctx) throws IOException {
        CampaignId campaign;
        Fid caller;
        try {
            caller = authenticator.authenticate(ctx.header("Authorization"));
            campaign = endpoints.visibleCampaign(caller, ctx.pathParam("id"));
        } catch (RuntimeException e) {
            RouteHandlers.write(ctx, ErrorMapping.toResponse(e));
            return;
        }
        if (!events.reserve()) {
            RouteHandlers.write(ctx, ApiResponse.problem(Problem.of(Problem.Kind.STREAMS_EXHAUSTED, "too many live progress "
                    + "streams are open; poll GET /api/campaigns/" + campaign + " instead").withHeader("Retry-After", "30")));
            return;
        }
        CompletableFuture<Void> ended = new CompletableFuture<>();
        try {
            ctx.status(200);
            ctx.contentType("text/event-stream; charset=utf-8");
            ctx.header("X-Accel-Buffering", "no");
            // The servlet stream, not Javalin's: a compressing stream would hold events back until its buffer fills.
            OutputStream out = ctx.res().getOutputStream();
            out.write("retry: 2000\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            ctx.future(() -> ended);
            events.subscribe(caller, campaign, new CampaignEvents.Sink() {
                @Override
                public void send(String text) throws IOException {
                    out.write(text.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }

                @Override
                public void close() {
                    ended.complete(null);
                }
            });
        } catch (IOException | RuntimeException e) {
            events.release();
            ended.complete(null);
            throw e;
        }
    }
}
