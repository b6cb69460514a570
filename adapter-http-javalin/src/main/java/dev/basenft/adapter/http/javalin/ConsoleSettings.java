package dev.basenft.adapter.http.javalin;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * What the web console served at {@code /} needs to know about the deployment: the chain its wallets must be on, the
 * batch size (to tell a creator how many transactions a drop takes), where transactions are shown, the development
 * conveniences, and the Farcaster mini app's identity. Immutable and thread-safe.
 *
 * @param chainId the chain campaigns are deployed and minted on; positive
 * @param batchSize recipients per mint transaction; positive
 * @param explorer a block explorer whose {@code /tx/<hash>} and {@code /address/<address>} pages exist (basescan for Base
 *     and Base Sepolia); empty on a local chain, where the console shows the transaction receipt from {@code devRpc}
 *     instead; never null
 * @param devSignIn the console asks for a FID and signs in with {@code Bearer dev:<fid>}; only true where the server
 *     accepts dev tokens; outside it a browser is told to open the app in a Farcaster client
 * @param devRpc a JSON-RPC endpoint of a local chain whose unlocked accounts the console may offer as a "dev wallet"
 *     ({@code eth_sendTransaction} from anvil's creator account) and read receipts from; empty outside development;
 *     never null
 * @param quickAuthOrigin the Quick Auth server the console asks for tokens ({@code QUICK_AUTH_ORIGIN}, the one the API
 *     verifies them against); the only other origin the page may connect to; never null
 * @param miniApp the mini app manifest and embed; empty while unset, when {@code /.well-known/farcaster.json} answers 404
 *     and {@code /} carries no embed; never null
 */
public record ConsoleSettings(long chainId, int batchSize, Optional<URI> explorer, boolean devSignIn, Optional<URI> devRpc,
        URI quickAuthOrigin, Optional<MiniApp> miniApp) {

    /** Base mainnet. */
    public static final long BASE = 8453;
    /** Base Sepolia. */
    public static final long BASE_SEPOLIA = 84532;

    /** @throws IllegalArgumentException naming the parameter that is out of range or null */
    public ConsoleSettings {
        if (chainId <= 0) {
            throw new IllegalArgumentException("chainId must be positive, got " + chainId);
        }
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize must be positive, got " + batchSize);
        }
        Objects.requireNonNull(explorer, "explorer");
        Objects.requireNonNull(devRpc, "devRpc");
        Objects.requireNonNull(quickAuthOrigin, "quickAuthOrigin");
        Objects.requireNonNull(miniApp, "miniApp");
        if (devRpc.isPresent() && !devSignIn) {
            throw new IllegalArgumentException("devRpc is a development convenience: it needs devSignIn");
        }
    }

    /** Base mainnet, batches of 200, no dev conveniences, Farcaster's Quick Auth server, no mini app manifest. */
    public static ConsoleSettings defaults() {
        return new ConsoleSettings(BASE, 200, explorerFor(BASE), false, Optional.empty(), AuthSettings.DEFAULT_ORIGIN,
                Optional.empty());
    }

    /**
     * The page's Content-Security-Policy: its own scripts and styles only, and connections only to this server, the Quick
     * Auth server and (in development) the local chain. It may be framed: Farcaster clients on the web show mini apps in
     * an iframe.
     */
    public String contentSecurityPolicy() {
        StringBuilder connect = new StringBuilder("'self' ").append(origin(quickAuthOrigin));
        devRpc.ifPresent(rpc -> connect.append(' ').append(origin(rpc)));
        return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; connect-src " + connect
                + "; base-uri 'none'; form-action 'none'";
    }

    private static String origin(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
    }

    /** basescan for Base and Base Sepolia; empty for any other chain (a local one has no explorer). */
    public static Optional<URI> explorerFor(long chainId) {
        if (chainId == BASE) {
            return Optional.of(URI.create("https://basescan.org"));
        }
        if (chainId == BASE_SEPOLIA) {
            return Optional.of(URI.create("https://sepolia.basescan.org"));
        }
        return Optional.empty();
    }

    /**
     * The Farcaster mini app: the signed account association that ties the domain to its owner's FID (made by a Farcaster
     * client's developer tools, pasted into the settings), and what clients show. Every field is required.
     *
     * @param header the account association's {@code header} (base64url JSON); never blank
     * @param payload its {@code payload} (base64url JSON naming the domain); never blank
     * @param signature its {@code signature}; never blank
     * @param name the app's name, at most 32 characters; never blank
     * @param iconUrl a 1024×1024 PNG, https; never null
     * @param homeUrl where the app opens, https; never null
     * @param imageUrl the 3:2 image of the embed in feeds, https; never null
     * @param buttonTitle the embed's button, at most 32 characters; never blank
     * @param splashImageUrl the 200×200 image shown while loading, https; never null
     * @param splashBackgroundColor the loading screen's colour as {@code #rrggbb}; never null
     */
    public record MiniApp(String header, String payload, String signature, String name, URI iconUrl, URI homeUrl,
            URI imageUrl, String buttonTitle, URI splashImageUrl, String splashBackgroundColor) {

        /** @throws IllegalArgumentException naming the field that is missing or malformed */
        public MiniApp {
            requireText(header, "header", 4096);
            requireText(payload, "payload", 4096);
            requireText(signature, "signature", 4096);
            requireText(name, "name", 32);
            requireText(buttonTitle, "buttonTitle", 32);
            requireUrl(iconUrl, "iconUrl");
            requireUrl(homeUrl, "homeUrl");
            requireUrl(imageUrl, "imageUrl");
            requireUrl(splashImageUrl, "splashImageUrl");
            if (splashBackgroundColor == null || !splashBackgroundColor.matches("#[0-9a-fA-F]{6}")) {
                throw new IllegalArgumentException("splashBackgroundColor must be a colour like #1b1f3b, got '"
                        + splashBackgroundColor + "'");
            }
        }

        private static void requireText(String value, String name, int max) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(name + " must not be blank");
            }
            if (value.length() > max) {
                throw new IllegalArgumentException(name + " must be at most " + max + " characters, got " + value.length());
            }
        }

        private static void requireUrl(URI value, String name) {
            if (value == null || !("https".equals(value.getScheme()) || "http".equals(value.getScheme()))
                    || value.getHost() == null) {
                throw new IllegalArgumentException(name + " must be an http(s) URL, got " + value);
            }
        }
    }
}
