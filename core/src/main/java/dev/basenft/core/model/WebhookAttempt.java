package dev.basenft.core.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * One try at delivering one event to one webhook: a line of the delivery log. Immutable.
 *
 * @param sequence the log's order, unique and increasing per store; 0 before it is stored
 * @param eventId the event's id; never null
 * @param type the event's type; never null
 * @param attempt 1 for the first try of this delivery
 * @param statusCode the receiver's HTTP status, or empty when no answer came; never null
 * @param error why it did not count as delivered (a non-2xx status, a timeout, a refused connection), or empty; never null
 * @param duration how long the try took; never null, not negative
 * @param at when the try started; never null
 * @param outcome what the try left the delivery as; never null
 */
public record WebhookAttempt(long sequence, UUID eventId, WebhookEventType type, int attempt,
        Optional<Integer> statusCode, Optional<String> error, Duration duration, Instant at, Outcome outcome) {

    /** What a try left its delivery as. */
    public enum Outcome {
        /** The receiver answered 2xx: done. */
        DELIVERED,
        /** Not delivered; another try is scheduled with backoff. */
        RETRYING,
        /** Not delivered, and the attempts are spent: given up. */
        FAILED
    }

    public WebhookAttempt {
        Require.between("sequence", sequence, 0, Long.MAX_VALUE);
        Require.notNull("eventId", eventId);
        Require.notNull("type", type);
        Require.atLeast("attempt", attempt, 1);
        Require.notNull("statusCode", statusCode);
        Require.notNull("error", error);
        Require.notNull("duration", duration);
        Require.notNull("at", at);
        Require.notNull("outcome", outcome);
        if (duration.isNegative()) {
            throw new InvalidArgumentException("duration", "duration must not be negative");
        }
        error = error.map(e -> e.length() > 1_000 ? e.substring(0, 1_000) : e);
    }
}
