package dev.basenft.adapter.redis;

/**
 * How many jobs the queue holds in each state, read in one atomic step. Immutable.
 *
 * @param waiting in {@code wait} (plus a {@code paused} list a 5.x client may have left); what {@code LLEN …:wait} shows
 * @param active in {@code active}, being processed; what {@code LLEN …:active} shows
 * @param delayed in {@code delayed}: retries backing off and jobs delayed without using an attempt
 * @param prioritized in {@code prioritized} (only Node producers add these)
 * @param completed kept in {@code completed}, at most the keep policy's count
 * @param failed kept in {@code failed}, at most the keep policy's count
 * @param paused whether the queue is paused
 */
public record QueueCounts(long waiting, long active, long delayed, long prioritized, long completed, long failed,
        boolean paused) {

    public QueueCounts {
        if (waiting < 0 || active < 0 || delayed < 0 || prioritized < 0 || completed < 0 || failed < 0) {
            throw new IllegalArgumentException("counts must not be negative");
        }
    }

    /** Jobs not yet settled: waiting, active, delayed and prioritized. */
    public long pending() {
        return waiting + active + delayed + prioritized;
    }
}
