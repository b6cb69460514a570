package dev.basenft.adapter.http.javalin;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * How callers are authenticated (docs/architecture.md#authentication). The compact constructor refuses unsafe
 * combinations, so an {@code AuthSettings} that exists is one the server may run with. Immutable and thread-safe.
 *
 * @param quickAuthOrigin {@code QUICK_AUTH_ORIGIN}: the token issuer ({@code iss} must equal it exactly) and the origin of
 *     its JWKS; http(s), no path, no trailing slash; never null
 * @param appDomain {@code APP_DOMAIN}: the audience tokens must carry, e.g. {@code miniapp.example.com}; never blank
 * @param allowDevAuth {@code ALLOW_DEV_AUTH}: accept {@code Authorization: Bearer dev:<fid>}; only in development
 * @param appEnvironment {@code APP_ENV} (or {@code NODE_ENV}), e.g. {@code development} or {@code production}; never blank
 */
public record AuthSettings(URI quickAuthOrigin, String appDomain, boolean allowDevAuth, String appEnvironment) {

    /** Farcaster's Quick Auth server, the default {@code QUICK_AUTH_ORIGIN}. */
    public static final URI DEFAULT_ORIGIN = URI.create("https://auth.farcaster.xyz");

    /** The only environment dev auth may run in. */
    public static final String DEVELOPMENT = "development";

    /** @throws IllegalArgumentException naming the setting (by its environment variable) that is wrong */
    public AuthSettings {
        if (quickAuthOrigin == null) {
            throw new IllegalArgumentException("quickAuthOrigin (QUICK_AUTH_ORIGIN) must not be null");
        }
        checkOrigin(quickAuthOrigin);
        if (appDomain == null || appDomain.isBlank()) {
            throw new IllegalArgumentException("appDomain (APP_DOMAIN) must not be blank: tokens are checked against it (aud)");
        }
        if (appDomain.contains("://") || appDomain.contains("/") || !appDomain.equals(appDomain.strip())) {
            throw new IllegalArgumentException("appDomain (APP_DOMAIN) must be a bare domain such as miniapp.example.com "
                    + "(no scheme, path or spaces), got '" + appDomain + "'");
        }
        if (appEnvironment == null || appEnvironment.isBlank()) {
            throw new IllegalArgumentException("appEnvironment (APP_ENV) must not be blank");
        }
        devAuthProblem(allowDevAuth, appEnvironment).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
    }

    /** Production settings: the default origin, no dev auth. */
    public static AuthSettings production(String appDomain) {
        return new AuthSettings(DEFAULT_ORIGIN, appDomain, false, "production");
    }

    /**
     * The settings validator for dev auth: {@code ALLOW_DEV_AUTH=true} is only allowed with
     * {@code APP_ENV=development}, because a {@code dev:<fid>} token lets anyone act as any user.
     *
     * @param allowDevAuth the parsed {@code ALLOW_DEV_AUTH}
     * @param appEnvironment the parsed {@code APP_ENV}; may be null (then treated as not development)
     * @return the problem to report, naming both variables; empty when the combination is allowed
     */
    public static Optional<String> devAuthProblem(boolean allowDevAuth, String appEnvironment) {
        if (allowDevAuth && !isDevelopment(appEnvironment)) {
            return Optional.of("ALLOW_DEV_AUTH=true is refused: dev auth (Authorization: Bearer dev:<fid>) lets anyone act "
                    + "as any user, so it is only allowed with APP_ENV=development (or NODE_ENV=development); APP_ENV is '"
                    + appEnvironment + "'");
        }
        return Optional.empty();
    }

    /** Whether {@code dev:<fid>} tokens are accepted: both settings say so. */
    public boolean devAuthEnabled() {
        return allowDevAuth && isDevelopment(appEnvironment);
    }

    /** The expected {@code iss}: the origin exactly as configured. */
    public String issuer() {
        return quickAuthOrigin.toString();
    }

    /** Where the signing keys are published: {@code <origin>/.well-known/jwks.json}. */
    public URI jwksUri() {
        return URI.create(quickAuthOrigin + "/.well-known/jwks.json");
    }

    private static boolean isDevelopment(String environment) {
        return environment != null && environment.strip().toLowerCase(Locale.ROOT).equals(DEVELOPMENT);
    }

    private static void checkOrigin(URI origin) {
        String scheme = origin.getScheme();
        boolean http = "https".equals(scheme) || "http".equals(scheme);
        // iss is compared exactly, so anything beyond scheme://host[:port] would make every token fail (or look odd).
        if (!http || origin.getHost() == null || origin.getRawUserInfo() != null || origin.getRawQuery() != null
                || origin.getRawFragment() != null || (origin.getRawPath() != null && !origin.getRawPath().isEmpty())) {
            throw new IllegalArgumentException("quickAuthOrigin (QUICK_AUTH_ORIGIN) must be an http(s) origin without path "
                    + "or trailing slash, such as https://auth.farcaster.xyz; got '" + origin + "'");
        }
    }
}
