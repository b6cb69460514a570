package dev.basenft.adapter.http.javalin;

/**
 * The request's credentials are missing or not acceptable; the API answers 401. The message says why in words safe to show
 * the caller, and never contains the token itself.
 */
public final class AuthenticationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message why the credentials were refused; never contains the token */
    public AuthenticationException(String message) {
        super(message);
    }

    /**
     * @param message why the credentials were refused; never contains the token
     * @param cause the verifier's exception, kept for debugging; may be null
     */
    public AuthenticationException(String message, Throwable cause) {
        super(message, cause);
    }
}
