package dev.basenft.adapter.http.javalin;

import dev.basenft.adapter.http.javalin.internal.CampaignEndpoints;
import dev.basenft.adapter.http.javalin.internal.ErrorMapping;
import dev.basenft.adapter.http.javalin.internal.RecipientCsv;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.Fid;
import dev.basenft.core.port.in.ReadStatusQuery;
import io.javalin.http.Context;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;

/**
 * {@code GET /api/campaigns/{id}/recipients.csv}: every recipient of a campaign with its result, streamed as CSV straight
 * from the database cursor to the client, so a million-row campaign costs the server one fetch of rows and one write
 * buffer, not the whole file. Failures found before the first byte (authentication, an unknown or foreign campaign) are
 * ordinary problem documents; a failure after it (the database gone mid-way) cannot change the 200 already sent, so the
 * connection is aborted: the client sees a broken transfer, never a complete-looking but short file.
 *
 * <p>Thread-safe; each request streams on its own request thread.
 */
final class RecipientExportRoute {

    private static final System.Logger LOG = System.getLogger("dev.basenft.http");
    /** Bytes written per flush to the client: large enough that a million rows take a few thousand writes. */
    private static final int WRITE_BUFFER = 64 * 1024;

    private final Authenticator authenticator;
    private final CampaignEndpoints endpoints;
    private final ReadStatusQuery read;

    RecipientExportRoute(Authenticator authenticator, CampaignEndpoints endpoints, ReadStatusQuery read) {
        this.authenticator = authenticator;
        this.endpoints = endpoints;
        this.read = read;
    }

    void handle(Context ctx) {
        Fid caller;
        CampaignId campaign;
        try {
            caller = authenticator.authenticate(ctx.header("Authorization"));
            campaign = endpoints.visibleCampaign(caller, ctx.pathParam("id"));
        } catch (RuntimeException e) {
            RouteHandlers.write(ctx, ErrorMapping.toResponse(e));
            return;
        }
        ctx.status(200);
        ctx.contentType(RecipientCsv.MEDIA_TYPE);
        ctx.header("Content-Disposition", "attachment; filename=\"campaign-" + campaign + "-recipients.csv\"");
        try {
            // The servlet stream, not Javalin's result: Javalin would buffer a result, and its compressing stream is not
            // needed for a download the client asked for by name.
            Writer out = new BufferedWriter(new OutputStreamWriter(ctx.res().getOutputStream(), StandardCharsets.UTF_8),
                    WRITE_BUFFER);
            out.write(RecipientCsv.HEADER);
            read.exportRecipients(caller, campaign, row -> {
                try {
                    RecipientCsv.write(out, row);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            out.flush();
        } catch (IOException | RuntimeException e) {
            if (!ctx.res().isCommitted()) {
                // Nothing sent yet (the rows are buffered until the first 64 KiB): still time for a problem document.
                ctx.res().resetBuffer();
                ctx.res().setHeader("Content-Disposition", null);
                RouteHandlers.write(ctx, ErrorMapping.toResponse(e instanceof IOException io ? new UncheckedIOException(io)
                        : e));
                return;
            }
            // The client went away, or the read failed mid-way: the 200 is sent, so the only honest answer left is to cut
            // the transfer short. A client that left sees nothing of it.
            LOG.log(System.Logger.Level.WARNING, "Export of campaign {0}''s recipients stopped: {1}", campaign,
                    String.valueOf(e.getMessage()));
            ServletContextRequest.getServletContextRequest(ctx.req()).getServletChannel().abort(e);
        }
    }
}
