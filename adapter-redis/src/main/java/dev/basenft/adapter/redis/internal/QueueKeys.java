package dev.basenft.adapter.redis.internal;

/**
 * The Redis keys of one BullMQ queue, {@code <prefix>:<queue>:<role>}. Immutable and thread-safe.
 *
 * <p>Internal to the adapter: not an API.
 *
 * @param prefix {@code <prefix>:<queue>:}, which a job id completes to the job's hash key; not null
 */
public record QueueKeys(String prefix, String waitList, String active, String prioritized, String pc, String delayed,
        String completed, String failed, String paused, String stalled, String stalledCheck, String meta, String events,
        String marker) {

    /** The keys under {@code prefix} (such as {@code bull:distribution:}). */
    public static QueueKeys of(String prefix) {
        return new QueueKeys(prefix, prefix + "wait", prefix + "active", prefix + "prioritized", prefix + "pc",
                prefix + "delayed", prefix + "completed", prefix + "failed", prefix + "paused", prefix + "stalled",
                prefix + "stalled-check", prefix + "meta", prefix + "events", prefix + "marker");
    }

    /** The job's hash. */
    public String job(String jobId) {
        return prefix + jobId;
    }

    /** The job's lock. */
    public String lock(String jobId) {
        return prefix + jobId + ":lock";
    }
}
