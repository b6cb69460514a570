package dev.basenft.adapter.http.javalin;

import dev.basenft.adapter.http.javalin.internal.JwksCache;
import dev.basenft.adapter.http.javalin.internal.KeySelectionException;
import dev.basenft.adapter.http.javalin.internal.NumericSubjectDeserializer;
import dev.basenft.adapter.http.javalin.internal.QuickAuthKeyLocator;
import dev.basenft.adapter.http.javalin.internal.VerifiedTokenCache;
import dev.basenft.core.model.Fid;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.ExpiredJwtException;
import io.jsonwebtoken.InvalidClaimException;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.MalformedJwtException;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.PrematureJwtException;
import io.jsonwebtoken.UnsupportedJwtException;
import io.jsonwebtoken.security.SignatureException;
import java.lang.System.Logger.Level;
import java.time.InstantSource;
import java.util.Date;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Verifies Farcaster Quick Auth tokens with jjwt against the JWKS of {@link AuthSettings#quickAuthOrigin()}: signature by a
 * JWKS key of the type the {@code alg} names (RS256 with RSA of at least 2048 bits, which is how {@code auth.farcaster.xyz}
 * signs; EdDSA/Ed25519 or ES256 for other issuers; never {@code none}, HMAC or {@code PS*}), {@code iss} equal to the origin
 * exactly, {@code aud} equal to (or, as an array, containing) {@link AuthSettings#appDomain()}, {@code exp} present and in the
 * future (0 s leeway: {@code exp <= now} fails), and {@code sub} the caller's FID: a positive integer up to
 * {@link Long#MAX_VALUE}, sent either as a JSON number or (as the issuer does, {@code fid.toString()}) as a string of ASCII
 * digits without sign or leading zeros.
 *
 * <p>A token that passed is remembered (by its SHA-256) until its {@code exp} or the next JWKS refetch, whichever comes first,
 * so a client reusing its token is not charged a signature check per request; see {@code VerifiedTokenCache} for why that is
 * as strict as verifying again.
 *
 * <p>When {@link AuthSettings#devAuthEnabled()}, {@code Bearer dev:<fid>} is accepted as well. A JWKS that cannot be fetched
 * is logged as {@code Verification error: …} and reported as {@link AuthenticationUnavailableException}. Tokens are never
 * logged. Thread-safe.
 */
public final class QuickAuthAuthenticator implements Authenticator {

    private static final System.Logger LOG = System.getLogger("dev.basenft.http.auth");
    private static final Pattern DEV_TOKEN = Pattern.compile("dev:([1-9][0-9]{0,17})");
    /** A FID as the issuer writes it: decimal ASCII digits, no sign, no leading zero; at most 19 digits (a 64-bit long). */
    private static final Pattern FID = Pattern.compile("[1-9][0-9]{0,18}");
    /** Enough for every active user of a busy mini app; each entry is about 200 bytes. */
    private static final int VERIFIED_TOKENS = 50_000;

    private final AuthSettings settings;
    private final InstantSource clock;
    private final JwksCache jwks;
    private final JwtParser parser;
    private final VerifiedTokenCache verified = new VerifiedTokenCache(VERIFIED_TOKENS);

    private QuickAuthAuthenticator(AuthSettings settings, InstantSource clock, JwksCache jwks) {
        this.settings = settings;
        this.clock = clock;
        this.jwks = jwks;
        this.parser = Jwts.parser()
                .json(new NumericSubjectDeserializer())
                .keyLocator(new QuickAuthKeyLocator(jwks))
                // Only the asymmetric algorithms Quick Auth may use; jjwt then refuses everything else before any key lookup.
                // RS256 is the one Farcaster's issuer signs with; jjwt also refuses RSA keys under 2048 bits for it.
                .sig().clear().add(Jwts.SIG.RS256).add(Jwts.SIG.EdDSA).add(Jwts.SIG.ES256).and()
                .requireIssuer(settings.issuer())
                .requireAudience(settings.appDomain())
                .clock(() -> Date.from(clock.instant()))
                .clockSkewSeconds(0)
                .build();
    }

    /**
     * An authenticator that reads the JWKS over HTTP.
     *
     * @param settings never null
     * @param clock the time tokens are checked at and the JWKS cache ages by; never null
     */
    public static QuickAuthAuthenticator create(AuthSettings settings, InstantSource clock) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(clock, "clock");
        return new QuickAuthAuthenticator(settings, clock, JwksCache.overHttp(settings.jwksUri(), clock));
    }

    @Override
    public Fid authenticate(String authorizationHeader) {
        String token = bearerToken(authorizationHeader);
        if (settings.devAuthEnabled() && token.startsWith("dev:")) {
            var dev = DEV_TOKEN.matcher(token);
            if (!dev.matches()) {
                throw new AuthenticationException("a dev token must be dev:<fid> with a positive FID");
            }
            return new Fid(Long.parseLong(dev.group(1)));
        }
        return verify(token);
    }

    private Fid verify(String token) {
        VerifiedTokenCache.Entry hit = verified.get(token);
        if (hit != null) {
            JwksCache.KeySet keys = keysOrLog();
            if (hit.keys() == keys) {
                if (hit.expiresAtSecond() <= clock.instant().getEpochSecond()) {
                    throw new AuthenticationException("the token has expired");
                }
                return hit.fid();
            }
        }
        // Read before verifying: if verification makes the cache refetch, the entry below is already out of date and the
        // next request verifies again (see VerifiedTokenCache).
        JwksCache.KeySet keysBefore = jwks.current();
        Claims claims;
        try {
            claims = parser.parseSignedClaims(token).getPayload();
        } catch (ExpiredJwtException e) {
            throw new AuthenticationException("the token has expired", e);
        } catch (PrematureJwtException e) {
            throw new AuthenticationException("the token is not valid yet (nbf)", e);
        } catch (InvalidClaimException e) {
            throw new AuthenticationException("the token's " + e.getClaimName() + " claim is missing or not the expected "
                    + "value", e);
        } catch (SignatureException e) {
            throw new AuthenticationException("the token's signature does not verify", e);
        } catch (JwtException | IllegalArgumentException e) {
            AuthenticationUnavailableException unavailable = unavailableCause(e);
            if (unavailable != null) {
                throw logged(unavailable);
            }
            throw new AuthenticationException("the token is malformed or not signed by a Quick Auth key: "
                    + safeReason(e), e);
        } catch (AuthenticationUnavailableException e) {
            throw logged(e);
        }
        Date exp = claims.getExpiration();
        if (exp == null) {
            // jjwt accepts a JWT without exp; Quick Auth tokens always carry one, and one without would never expire.
            throw new AuthenticationException("the token has no exp claim");
        }
        // jose's rule, 0 s leeway: exp <= now (in whole seconds) fails; jjwt alone would still accept exp == now.
        if (exp.toInstant().getEpochSecond() <= clock.instant().getEpochSecond()) {
            throw new AuthenticationException("the token has expired");
        }
        Fid fid = fidOf(claims.getSubject());
        if (keysBefore != null) {
            verified.put(token, new VerifiedTokenCache.Entry(fid, exp.toInstant().getEpochSecond(), keysBefore),
                    clock.instant().getEpochSecond());
        }
        return fid;
    }

    private static Fid fidOf(String sub) {
        if (sub == null || !FID.matcher(sub).matches()) {
            throw new AuthenticationException("the token's sub claim is not a Farcaster ID (a positive whole number, as "
                    + "digits without sign or leading zeros)");
        }
        try {
            return new Fid(Long.parseLong(sub));
        } catch (NumberFormatException e) {
            // 19 digits above Long.MAX_VALUE: no FID is that large.
            throw new AuthenticationException("the token's sub claim is beyond the largest Farcaster ID (a 64-bit number)");
        }
    }

    private JwksCache.KeySet keysOrLog() {
        try {
            return jwks.keys();
        } catch (AuthenticationUnavailableException e) {
            throw logged(e);
        }
    }

    private AuthenticationUnavailableException logged(AuthenticationUnavailableException e) {
        // The runbook's pattern for Quick Auth failures that are not the token's fault ("Check auth service").
        LOG.log(Level.WARNING, "Verification error: " + e.getMessage());
        return e;
    }

    private static AuthenticationUnavailableException unavailableCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof AuthenticationUnavailableException unavailable) {
                return unavailable;
            }
        }
        return null;
    }

    /**
     * Why a token failed, in words safe to show: our key selection's own message, or jjwt's exception kind. jjwt's messages
     * are not shown, as some quote parts of the token.
     */
    private static String safeReason(Exception e) {
        if (e instanceof KeySelectionException) {
            return e.getMessage();
        }
        if (e instanceof UnsupportedJwtException) {
            return "unsupported token (unsigned, alg=none, or an algorithm other than RS256/EdDSA/ES256)";
        }
        if (e instanceof MalformedJwtException) {
            return "not a well-formed signed JWT";
        }
        return e.getClass().getSimpleName();
    }

    private static String bearerToken(String header) {
        if (header == null || header.isBlank()) {
            throw new AuthenticationException("missing Authorization header: send Authorization: Bearer <Quick Auth token>");
        }
        String trimmed = header.strip();
        int space = trimmed.indexOf(' ');
        if (space < 0 || !trimmed.substring(0, space).toLowerCase(Locale.ROOT).equals("bearer")) {
            throw new AuthenticationException("the Authorization header must use the Bearer scheme");
        }
        String token = trimmed.substring(space + 1).strip();
        if (token.isEmpty() || token.chars().anyMatch(Character::isWhitespace)) {
            throw new AuthenticationException("the Authorization header must be 'Bearer ' followed by one token");
        }
        return token;
    }

    @Override
    public String toString() {
        return "QuickAuthAuthenticator[issuer=" + settings.issuer() + ", audience=" + settings.appDomain() + ", jwks="
                + jwks.uri() + ", devAuth=" + settings.devAuthEnabled() + "]";
    }
}
