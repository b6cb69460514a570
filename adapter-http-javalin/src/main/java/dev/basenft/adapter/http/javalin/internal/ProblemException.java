package dev.basenft.adapter.http.javalin.internal;

import java.util.Objects;

/** Ends a request with a problem document. */
public final class ProblemException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Problem problem;

    /** @param problem never null */
    public ProblemException(Problem problem) {
        super(Objects.requireNonNull(problem, "problem").detail(), null, false, false);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
