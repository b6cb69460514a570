package dev.basenft.adapter.http.javalin;

/**
 * Credentials could not be checked for a reason that is not the caller's fault (the Quick Auth JWKS cannot be fetched or
 * parsed); the API answers 503 and logs {@code Verification error: …}.
 */
public final class AuthenticationUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, naming the JWKS URL but never a token
     * @param cause the underlying failure; may be null
     */
    public AuthenticationUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
