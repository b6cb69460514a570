package dev.basenft.core.port.out;

import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.Fid;
import dev.basenft.core.model.Require;
import dev.basenft.core.model.Webhook;
import dev.basenft.core.model.WebhookAttempt;
import dev.basenft.core.model.WebhookEvent;
import dev.basenft.core.model.WebhookId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where webhooks, their events and their deliveries are kept: the outbox and the delivery queue of
 * docs/architecture.md#webhooks.
 *
 * <p><b>Events are not written through this port.</b> The store that keeps campaigns and batches records them itself, in
 * the same transaction as the change: {@link Campaigns#updateStatus} to COMPLETED or FAILED records a
 * {@code campaign.completed} / {@code campaign.failed} event, {@link Batches#fail} a {@code batch.failed} event. A crash
 * can therefore never keep the change and lose the event. This port reads them, fans them out to the matching webhooks
 * ({@link #dispatch}) and hands out due deliveries ({@link #claimDue}), each with a lease so a crashed deliverer's work is
 * taken up again once it lapses.
 *
 * <p>Safe for concurrent use by any number of threads and processes: a due delivery is handed to one claimant at a time.
 * No method accepts or returns null.
 */
public interface Webhooks {

    /**
     * Stores a new webhook.
     *
     * @throws IllegalStateException if one with the same id exists
     */
    void create(Webhook webhook);

    /** The webhook, or empty. */
    Optional<Webhook> find(WebhookId id);

    /** An owner's webhooks in creation order (then id). */
    List<Webhook> byOwner(Fid owner);

    /**
     * Deletes the webhook with its pending deliveries and its delivery log.
     *
     * @return false when there was none
     */
    boolean delete(WebhookId id);

    /**
     * Records a {@code webhook.test} event for this webhook alone and its delivery, due at {@code now}, in one step.
     *
     * @return the recorded event; empty when there is no such webhook
     */
    Optional<WebhookEvent> recordTest(WebhookId id, Instant now);

    /** A campaign's events in the order they were recorded: what the outbox holds for it. */
    List<WebhookEvent> eventsOf(CampaignId campaign);

    /**
     * Fans out up to {@code limit} events not yet dispatched: one delivery, due at {@code now}, per webhook that
     * {@link Webhook#matches} the event at this moment (none when none does), and marks the event dispatched, each event in
     * one transaction. Running it twice, or from two processes, makes no second delivery of an event to a webhook.
     *
     * @param limit 1 or more
     * @return how many events were dispatched
     */
    int dispatch(Instant now, int limit);

    /**
     * Claims up to {@code limit} deliveries that are pending, due at or before {@code now} and not leased (or whose lease
     * lapsed): each one's attempt count goes up by one and it is leased until {@code now + lease}.
     *
     * @param lease positive: how long before a claim whose holder went silent is handed out again
     * @param limit 1 or more
     * @return the claimed deliveries, oldest due first
     */
    List<DueDelivery> claimDue(Instant now, Duration lease, int limit);

    /**
     * Appends the try to the delivery log and settles the delivery as {@link WebhookAttempt#outcome()} says: DELIVERED and
     * FAILED are final; RETRYING makes it due again at {@code retryAt} and frees the lease.
     *
     * @param retryAt present exactly when the outcome is RETRYING
     * @return false when the delivery is gone (its webhook was deleted) or already final; nothing is written then
     */
    boolean recordAttempt(long deliveryId, WebhookAttempt attempt, Optional<Instant> retryAt);

    /**
     * One page of a webhook's delivery log, newest first, keyset-paginated by {@link WebhookAttempt#sequence()}.
     *
     * @param before the last sequence of the previous page, or empty for the newest
     * @param limit 1 or more
     */
    List<WebhookAttempt> attempts(WebhookId id, Optional<Long> before, int limit);

    /**
     * A delivery handed to one claimant: send {@link #event} to {@link #webhook}, then {@link #recordAttempt}.
     *
     * @param deliveryId the delivery's id in the store
     * @param webhook never null
     * @param event never null
     * @param attempt 1 for the first try
     */
    record DueDelivery(long deliveryId, Webhook webhook, WebhookEvent event, int attempt) {

        public DueDelivery {
            Require.notNull("webhook", webhook);
            Require.notNull("event", event);
            Require.atLeast("attempt", attempt, 1);
        }
    }
}
