package dev.basenft.adapter.redis;

import java.util.Optional;

/**
 * Why a settling script ({@code finish.lua}, {@code reschedule.lua}) changed nothing: the numbers they answer with, named.
 * The scripts check in this order, so the first that applies is the one answered. BullMQ's scripts use the same numbers
 * for the same cases.
 */
enum Refusal {
    /** The job's hash is gone: someone removed the job. */
    JOB_MISSING(-1, "it no longer exists (removed)"),
    /** The job's lock expired: this worker stopped renewing it long enough for another to take the job. */
    LOCK_MISSING(-2, "its lock is missing: it lapsed, so the job may be running elsewhere"),
    /** The job is not in {@code active}. */
    NOT_ACTIVE(-3, "it is not active"),
    /** Another worker's token holds the lock: it took the job over after a stall. */
    LOCK_TAKEN(-6, "its lock is held by another worker, which took the job over");

    /** What the scripts answer when they did settle the job. */
    static final long SETTLED = 0;

    private final long code;
    private final String why;

    Refusal(long code, String why) {
        this.code = code;
        this.why = why;
    }

    /**
     * The refusal a script's answer names, or empty when it settled the job.
     *
     * @param jobId the job it was about, for the message; not null
     * @throws IllegalStateException for a number no script answers (a script and this class out of step)
     */
    static Optional<Refusal> of(long code, String jobId) {
        if (code == SETTLED) {
            return Optional.empty();
        }
        for (Refusal refusal : values()) {
            if (refusal.code == code) {
                return Optional.of(refusal);
            }
        }
        throw new IllegalStateException("Job " + jobId + " was not settled: the script answered " + code);
    }

    /** The number the scripts answer. */
    long code() {
        return code;
    }

    /** A sentence for logs and exceptions. */
    String message(String jobId) {
        return "Job " + jobId + " was not settled: " + why;
    }
}
