package dev.basenft.adapter.http.javalin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class AuthSettingsTest {

    @Test
    void devAuthIsRefusedOutsideDevelopmentWithAClearMessage() {
        for (String env : new String[] {"production", "test", "staging", "Development-ish"}) {
            assertThatThrownBy(() -> new AuthSettings(AuthSettings.DEFAULT_ORIGIN, "app.example.com", true, env))
                    .as(env)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("ALLOW_DEV_AUTH=true is refused")
                    .hasMessageContaining("APP_ENV=development")
                    .hasMessageContaining("'" + env + "'");
        }
        assertThat(AuthSettings.devAuthProblem(true, "production")).isPresent();
        assertThat(AuthSettings.devAuthProblem(true, null)).isPresent();
        assertThat(AuthSettings.devAuthProblem(true, "development")).isEmpty();
        assertThat(AuthSettings.devAuthProblem(false, "production")).isEmpty();
    }

    @Test
    void devAuthNeedsBothSettings() {
        assertThat(new AuthSettings(AuthSettings.DEFAULT_ORIGIN, "a.example", true, "development").devAuthEnabled()).isTrue();
        assertThat(new AuthSettings(AuthSettings.DEFAULT_ORIGIN, "a.example", true, "DEVELOPMENT").devAuthEnabled())
                .isTrue();
        assertThat(new AuthSettings(AuthSettings.DEFAULT_ORIGIN, "a.example", false, "development").devAuthEnabled())
                .isFalse();
        assertThat(AuthSettings.production("a.example").devAuthEnabled()).isFalse();
    }

    @Test
    void originMustBeABareHttpOriginBecauseIssIsComparedExactly() {
        for (String bad : new String[] {"https://auth.farcaster.xyz/", "https://auth.farcaster.xyz/path", "ftp://x.y",
                "https://user@auth.farcaster.xyz", "https://auth.farcaster.xyz?q=1", "auth.farcaster.xyz"}) {
            assertThatThrownBy(() -> new AuthSettings(URI.create(bad), "a.example", false, "production")).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("QUICK_AUTH_ORIGIN");
        }
        AuthSettings ok = AuthSettings.production("a.example");
        assertThat(ok.issuer()).isEqualTo("https://auth.farcaster.xyz");
        assertThat(ok.jwksUri()).hasToString("https://auth.farcaster.xyz/.well-known/jwks.json");
    }

    @Test
    void appDomainIsABareDomain() {
        for (String bad : new String[] {"", " ", "https://a.example", "a.example/path", " a.example"}) {
            assertThatThrownBy(() -> new AuthSettings(AuthSettings.DEFAULT_ORIGIN, bad, false, "production")).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("APP_DOMAIN");
        }
        assertThatThrownBy(() -> new AuthSettings(AuthSettings.DEFAULT_ORIGIN, null, false, "production"))
                .hasMessageContaining("APP_DOMAIN");
    }
}
