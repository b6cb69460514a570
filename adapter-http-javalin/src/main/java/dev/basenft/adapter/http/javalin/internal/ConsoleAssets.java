package dev.basenft.adapter.http.javalin.internal;

import dev.basenft.adapter.http.javalin.ConsoleSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The web console's files, read from the jar once at start: a fixed list, so that no request path ever reaches the class
 * loader, and the page {@code /} rendered with the deployment's settings (a JSON block the scripts read, and the Farcaster
 * mini app embed when one is configured). Also the mini app manifest of {@code /.well-known/farcaster.json}. Immutable and
 * thread-safe.
 */
public final class ConsoleAssets {

    /** Where the files are in the jar. */
    public static final String RESOURCE_DIR = "/dev/basenft/adapter/http/javalin/console/";
    private static final Map<String, String> FILES = files();

    /** A file as served: its bytes and media type. */
    public record Asset(byte[] body, String contentType) {
        public Asset {
            Objects.requireNonNull(body, "body");
            Objects.requireNonNull(contentType, "contentType");
        }
    }

    private final byte[] page;
    private final Map<String, Asset> assets;
    private final Optional<byte[]> manifest;
    private final String contentSecurityPolicy;

    /** @param settings the deployment's console settings; never null */
    public ConsoleAssets(ConsoleSettings settings) {
        Objects.requireNonNull(settings, "settings");
        Map<String, Asset> loaded = new LinkedHashMap<>();
        FILES.forEach((name, type) -> loaded.put(name, new Asset(read(name), type)));
        this.assets = Map.copyOf(loaded);
        this.page = render(new String(read("index.html"), StandardCharsets.UTF_8), settings);
        this.manifest = settings.miniApp().map(ConsoleAssets::manifest);
        this.contentSecurityPolicy = settings.contentSecurityPolicy();
    }

    /** The page's Content-Security-Policy header. */
    public String contentSecurityPolicy() {
        return contentSecurityPolicy;
    }

    /** Every served file name (under {@code /console/}) with its media type; scripts end in {@code .js}. */
    public static Map<String, String> fileNames() {
        return FILES;
    }

    /** {@code /}: the console page, with this deployment's settings in it. */
    public byte[] page() {
        return page.clone();
    }

    /** {@code /console/<name>}; empty for any name not in the list. */
    public Optional<Asset> asset(String name) {
        return Optional.ofNullable(assets.get(name));
    }

    /** The body of {@code /.well-known/farcaster.json}; empty while the mini app is not configured. */
    public Optional<byte[]> manifest() {
        return manifest.map(byte[]::clone);
    }

    private static Map<String, String> files() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("app.js", "text/javascript; charset=utf-8");
        files.put("api.js", "text/javascript; charset=utf-8");
        files.put("wallet.js", "text/javascript; charset=utf-8");
        files.put("views.js", "text/javascript; charset=utf-8");
        files.put("miniapp-sdk.js", "text/javascript; charset=utf-8");
        files.put("style.css", "text/css; charset=utf-8");
        files.put("icon.svg", "image/svg+xml");
        return Map.copyOf(files);
    }

    private static byte[] render(String template, ConsoleSettings settings) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("chainId", settings.chainId());
        config.put("batchSize", settings.batchSize());
        config.put("explorer", settings.explorer().map(URI::toString).orElse(null));
        config.put("devSignIn", settings.devSignIn());
        config.put("devRpc", settings.devRpc().map(URI::toString).orElse(null));
        config.put("quickAuthOrigin", settings.quickAuthOrigin().toString());
        // Inside <script type="application/json">: "<" escaped so no value can close the element.
        String json = new String(Json.write(config), StandardCharsets.UTF_8).replace("<", "\\u003c");
        String embed = settings.miniApp().map(ConsoleAssets::embedTag).orElse("");
        String html = template.replace("<!--console-config-->", json).replace("<!--miniapp-embed-->", embed);
        if (html.equals(template)) {
            throw new IllegalStateException("the console page has lost its placeholders");
        }
        return html.getBytes(StandardCharsets.UTF_8);
    }

    /** The {@code fc:miniapp} meta tag: how a cast that links to {@code /} shows the app and its launch button. */
    private static String embedTag(ConsoleSettings.MiniApp app) {
        Map<String, Object> action = new LinkedHashMap<>();
        action.put("type", "launch_miniapp");
        action.put("name", app.name());
        action.put("url", app.homeUrl().toString());
        action.put("splashImageUrl", app.splashImageUrl().toString());
        action.put("splashBackgroundColor", app.splashBackgroundColor());
        Map<String, Object> embed = new LinkedHashMap<>();
        embed.put("version", "1");
        embed.put("imageUrl", app.imageUrl().toString());
        embed.put("button", Map.of("title", app.buttonTitle(), "action", action));
        return "<meta name=\"fc:miniapp\" content=\"" + attribute(new String(Json.write(embed), StandardCharsets.UTF_8))
                + "\">";
    }

    private static byte[] manifest(ConsoleSettings.MiniApp app) {
        Map<String, Object> association = new LinkedHashMap<>();
        association.put("header", app.header());
        association.put("payload", app.payload());
        association.put("signature", app.signature());
        Map<String, Object> miniApp = new LinkedHashMap<>();
        miniApp.put("version", "1");
        miniApp.put("name", app.name());
        miniApp.put("iconUrl", app.iconUrl().toString());
        miniApp.put("homeUrl", app.homeUrl().toString());
        miniApp.put("imageUrl", app.imageUrl().toString());
        miniApp.put("buttonTitle", app.buttonTitle());
        miniApp.put("splashImageUrl", app.splashImageUrl().toString());
        miniApp.put("splashBackgroundColor", app.splashBackgroundColor());
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("accountAssociation", association);
        manifest.put("miniapp", miniApp);
        return Json.write(manifest);
    }

    private static String attribute(String text) {
        return text.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static byte[] read(String name) {
        try (InputStream in = ConsoleAssets.class.getResourceAsStream(RESOURCE_DIR + name)) {
            if (in == null) {
                throw new IllegalStateException("console file " + RESOURCE_DIR + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
