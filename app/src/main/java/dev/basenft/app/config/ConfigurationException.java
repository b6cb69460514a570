package dev.basenft.app.config;

import java.util.List;

/**
 * The environment holds invalid or missing settings. The message lists every problem, each naming its variable, so an
 * operator fixes them all in one go. Never contains a secret's value.
 */
public final class ConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    public ConfigurationException(List<String> problems) {
        super("invalid configuration:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    /** One line per problem, each naming the variable at fault. */
    public List<String> problems() {
        return problems;
    }
}
