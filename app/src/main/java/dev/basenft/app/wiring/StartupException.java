package dev.basenft.app.wiring;

/**
 * The process cannot start: a dependency is unreachable or disagrees with the configuration (wrong chain, a minter key that
 * is not the factory's minter). The message names the setting or service at fault and never holds a secret.
 */
public final class StartupException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StartupException(String message) {
        super(message);
    }

    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
