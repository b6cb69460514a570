package dev.basenft.adapter.http.javalin.internal;

import io.jsonwebtoken.JwtException;

/** No single JWKS key fits the token (wrong or unknown {@code kid}, unaccepted {@code alg}, or several matches). */
public final class KeySelectionException extends JwtException {

    private static final long serialVersionUID = 1L;

    /** @param message names the alg and kid, never the token */
    public KeySelectionException(String message) {
        super(message);
    }
}
