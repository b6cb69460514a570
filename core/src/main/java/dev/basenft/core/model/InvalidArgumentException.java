package dev.basenft.core.model;

/**
 * An argument that failed a {@link Require} check, with the argument's name as data: an adapter can report it as that
 * field's error without reading the message.
 */
public class InvalidArgumentException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String argument;

    /**
     * @param argument the parameter or field at fault, as the caller named it; never null
     * @param message the whole message, starting with {@code argument}; never null
     */
    public InvalidArgumentException(String argument, String message) {
        super(message);
        if (argument == null) {
            throw new IllegalArgumentException("argument must not be null");
        }
        this.argument = argument;
    }

    /** The parameter or field at fault; never null. */
    public String argument() {
        return argument;
    }
}
