package dev.basenft.adapter.http.javalin;

import dev.basenft.adapter.http.javalin.internal.ApiResponse;
import dev.basenft.adapter.http.javalin.internal.ConsoleAssets;
import dev.basenft.adapter.http.javalin.internal.Problem;
import io.javalin.http.Context;

/**
 * The web console's routes: its page at {@code /}, its files under {@code /console/}, and the Farcaster mini app
 * manifest.
 *
 * <p>Thread-safe.
 */
final class ConsoleRoutes {

    private final ConsoleAssets console;

    ConsoleRoutes(ConsoleAssets console) {
        this.console = console;
    }

    void page(Context ctx) {
        ctx.header("Content-Security-Policy", console.contentSecurityPolicy());
        ctx.header("Cache-Control", "no-cache");
        ctx.contentType("text/html; charset=utf-8").result(console.page());
    }

    void file(Context ctx) {
        var asset = console.asset(ctx.pathParam("file"));
        if (asset.isEmpty()) {
            RouteHandlers.write(ctx, ApiResponse.problem(Problem.of(Problem.Kind.NOT_FOUND,
                    "no console file " + ctx.pathParam("file"))));
            return;
        }
        // Revalidated on every load: file names carry no version, and a stale script against a newer API would break.
        ctx.header("Cache-Control", "no-cache");
        ctx.contentType(asset.get().contentType()).result(asset.get().body());
    }

    void miniAppManifest(Context ctx) {
        var manifest = console.manifest();
        if (manifest.isEmpty()) {
            RouteHandlers.write(ctx, ApiResponse.problem(Problem.of(Problem.Kind.NOT_FOUND, "the Farcaster mini app is not "
                    + "configured here (set the MINIAPP_* and FARCASTER_* settings)")));
            return;
        }
        ctx.header("Cache-Control", "public, max-age=300");
        ctx.contentType(ApiResponse.JSON).result(manifest.get());
    }
}
