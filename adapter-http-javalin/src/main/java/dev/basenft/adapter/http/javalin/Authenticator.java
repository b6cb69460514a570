package dev.basenft.adapter.http.javalin;

import dev.basenft.core.model.Fid;

/**
 * Turns a request's {@code Authorization} header into the caller's Farcaster id. Implementations must be safe for concurrent
 * use: every API request calls {@link #authenticate} on its own thread.
 */
@FunctionalInterface
public interface Authenticator {

    /**
     * Authenticates a caller.
     *
     * @param authorizationHeader the raw header value; null when the request had none
     * @return the caller's FID; never null
     * @throws AuthenticationException when the credentials are missing or not acceptable (answered 401)
     * @throws AuthenticationUnavailableException when they cannot be checked right now, e.g. the JWKS cannot be fetched
     *     (answered 503): not the caller's fault
     */
    Fid authenticate(String authorizationHeader);
}
