package dev.basenft.core.service;

import dev.basenft.core.model.Webhook;
import dev.basenft.core.model.WebhookAttempt;

/** Hears every delivery try (for metrics). Implementations must be thread-safe, quick and must not throw. */
@FunctionalInterface
public interface WebhookListener {

    /** Hears nothing. */
    WebhookListener NONE = (webhook, attempt) -> { };

    /** A try was made and recorded. */
    void attempted(Webhook webhook, WebhookAttempt attempt);
}
