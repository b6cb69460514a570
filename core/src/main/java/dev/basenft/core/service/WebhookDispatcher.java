package dev.basenft.core.service;

import dev.basenft.core.model.WebhookAttempt;
import dev.basenft.core.model.WebhookAttempt.Outcome;
import dev.basenft.core.port.out.WebhookSender;
import dev.basenft.core.port.out.WebhookSender.Sent;
import dev.basenft.core.port.out.Webhooks;
import dev.basenft.core.port.out.Webhooks.DueDelivery;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Delivers webhook events at least once: fans the outbox's new events out to their webhooks, claims due deliveries, POSTs
 * each signed body and records the try. A 2xx answer delivers; anything else, or no answer, is tried again after a
 * doubling backoff until {@link WebhookSettings#maxAttempts()} tries are spent, then the delivery is FAILED. Every try of an
 * event carries the event's id, so a receiver de-duplicates repeats.
 *
 * <p>A deliverer that dies mid-try leaves its claim to lapse ({@link WebhookSettings#lease()}); the delivery is then
 * claimed again, so nothing recorded is lost (a receiver may see that event twice). Any number of dispatchers may run
 * against one store. Thread-safe; {@link #runOnce} is meant to be called from one loop thread per process.
 */
public final class WebhookDispatcher {

    /** Events fanned out per round. */
    static final int DISPATCH_LIMIT = 500;
    /** Deliveries claimed per round. */
    static final int CLAIM_LIMIT = 20;

    private static final System.Logger LOG = System.getLogger("dev.basenft.webhooks");

    private final Webhooks webhooks;
    private final WebhookSender sender;
    private final InstantSource clock;
    private final WebhookSettings settings;
    private final WebhookListener listener;

    @Inject
    public WebhookDispatcher(Webhooks webhooks, WebhookSender sender, InstantSource clock, WebhookSettings settings,
            WebhookListener listener) {
        this.webhooks = Objects.requireNonNull(webhooks, "webhooks");
        this.sender = Objects.requireNonNull(sender, "sender");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** One round: dispatch new events, then claim and deliver what is due. @return how many tries were made */
    public int runOnce() {
        Instant now = clock.instant();
        webhooks.dispatch(now, DISPATCH_LIMIT);
        List<DueDelivery> due = webhooks.claimDue(now, settings.lease(), CLAIM_LIMIT);
        for (DueDelivery delivery : due) {
            deliver(delivery);
        }
        return due.size();
    }

    private void deliver(DueDelivery delivery) {
        byte[] body = WebhookPayload.body(delivery.event());
        Instant start = clock.instant();
        long timestamp = start.getEpochSecond();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(WebhookPayload.EVENT_ID_HEADER, delivery.event().id().toString());
        headers.put(WebhookPayload.TIMESTAMP_HEADER, Long.toString(timestamp));
        headers.put(WebhookPayload.SIGNATURE_HEADER,
                WebhookPayload.signature(delivery.webhook().secret(), timestamp, body));
        Sent sent;
        try {
            sent = sender.post(delivery.webhook().url(), headers, body, settings.timeout());
        } catch (RuntimeException e) {
            // A sender's bug must not stop the loop: the try counts as unanswered.
            sent = new Sent.NoAnswer(e.getClass().getSimpleName());
        }
        Instant end = clock.instant();
        Duration took = end.isBefore(start) ? Duration.ZERO : Duration.between(start, end);
        Optional<Integer> status = sent instanceof Sent.Answered answered ? Optional.of(answered.status()) : Optional.empty();
        boolean ok = status.filter(code -> code >= 200 && code < 300).isPresent();
        Optional<String> error = switch (sent) {
            case Sent.Answered answered -> ok ? Optional.empty() : Optional.of("HTTP " + answered.status());
            case Sent.NoAnswer none -> Optional.of(none.reason());
        };
        Outcome outcome = ok ? Outcome.DELIVERED
                : delivery.attempt() >= settings.maxAttempts() ? Outcome.FAILED : Outcome.RETRYING;
        Optional<Instant> retryAt = outcome == Outcome.RETRYING
                ? Optional.of(end.plus(settings.backoff(delivery.attempt())))
                : Optional.empty();
        WebhookAttempt attempt = new WebhookAttempt(0, delivery.event().id(), delivery.event().type(), delivery.attempt(),
                status, error, took, start, outcome);
        if (!webhooks.recordAttempt(delivery.deliveryId(), attempt, retryAt)) {
            return;
        }
        listener.attempted(delivery.webhook(), attempt);
        Level level = outcome == Outcome.FAILED ? Level.WARNING : outcome == Outcome.RETRYING ? Level.INFO : Level.DEBUG;
        LOG.log(level, "Webhook delivery {0}: event {1} ({2}) to webhook {3}, try {4}{5}", outcome,
                delivery.event().id(), delivery.event().type().wireName(), delivery.webhook().id(),
                Integer.toString(delivery.attempt()), error.map(e -> ": " + e).orElse(""));
    }
}
