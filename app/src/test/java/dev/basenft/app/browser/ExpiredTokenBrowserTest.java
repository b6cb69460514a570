package dev.basenft.app.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A Quick Auth token that expires while the console is open: signed by the test's issuer and verified by the real
 * server against its JWKS, it works until its {@code exp}; the next call answers 401 and the console sends the user back
 * to sign-in, saying why, with the token forgotten. The scenario is {@code src/test/browser/expired-token.mjs}.
 */
class ExpiredTokenBrowserTest {

    @Test
    void anExpiredTokenSendsTheUserBackToSignIn() {
        ConsoleStack stack = ConsoleStack.shared();
        // Long enough for the browser to start and show the signed-in page; the script waits out the rest.
        Instant expiresAt = Instant.now().plusSeconds(20);
        String token = stack.issuer.token(504, ConsoleStack.APP_DOMAIN, expiresAt);

        String output = BrowserScript.run("expired-token", Map.of("TOKEN", token,
                "TOKEN_EXPIRES_AT_MS", Long.toString(expiresAt.toEpochMilli())));

        assertThat(output).contains("axe signed out: ");
    }
}
