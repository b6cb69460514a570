package dev.basenft.app.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basenft.app.Service;
import dev.basenft.app.config.Settings;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The console as a production deployment serves it: a {@code server} process (no dev auth) on the dev stack's database,
 * queue and chain, with the mini app configured. In Chromium, outside a Farcaster client, the page says how to open the
 * app there and offers no other sign-in; {@code /.well-known/farcaster.json} serves the manifest from the settings and
 * the page carries the {@code fc:miniapp} embed, while the dev stack (no mini app settings) answers 404 and has none.
 * The scenario is {@code src/test/browser/miniapp.mjs}.
 */
class MiniAppBrowserTest {

    @Test
    void outsideAFarcasterClientThePageSaysHowToOpenItAndTheManifestIsServed() {
        ConsoleStack stack = ConsoleStack.shared();
        Map<String, String> env = new HashMap<>(stack.environment);
        env.put("APP_ENV", "production");
        env.put("ALLOW_DEV_AUTH", "false");
        env.put("PORT", "0");
        env.put("FARCASTER_HEADER", "eyJmaWQiOjUwNSwidHlwZSI6ImN1c3RvZHkifQ");
        env.put("FARCASTER_PAYLOAD", "eyJkb21haW4iOiJsb2NhbGhvc3QifQ");
        env.put("FARCASTER_SIGNATURE", "MHhzaWduYXR1cmU");
        env.put("MINIAPP_NAME", "base-nft drops");
        env.put("MINIAPP_HOME_URL", "https://drops.example.com/");
        env.put("MINIAPP_ICON_URL", "https://drops.example.com/icon.png");
        env.put("MINIAPP_IMAGE_URL", "https://drops.example.com/embed.png");
        Service production = Service.start("server", Settings.fromEnvironment(env), InstantSource.system());
        try {
            String output = BrowserScript.run("miniapp", Map.of("PRODUCTION_URL",
                    "http://127.0.0.1:" + production.httpPort().orElseThrow()));

            assertThat(output).contains("axe outside a client: ");
        } finally {
            production.stop(Duration.ofSeconds(10));
        }
    }
}
