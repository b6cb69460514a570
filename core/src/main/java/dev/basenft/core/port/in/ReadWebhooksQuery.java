package dev.basenft.core.port.in;

import dev.basenft.core.model.Fid;
import dev.basenft.core.model.Require;
import dev.basenft.core.model.Webhook;
import dev.basenft.core.model.WebhookAttempt;
import dev.basenft.core.model.WebhookId;
import java.util.List;
import java.util.Optional;

/** Reads the caller's webhooks and their delivery logs. */
public interface ReadWebhooksQuery {

    /** The owner's webhooks in creation order; their secrets are present, and the caller must not show them. */
    List<Webhook> webhooks(Fid owner);

    /**
     * One page of a webhook's delivery log, newest first.
     *
     * @throws WebhookNotFoundException when the webhook is not the owner's
     */
    List<WebhookAttempt> deliveries(DeliveriesQuery query);

    /**
     * @param before the sequence the previous page ended with, or empty for the newest; never null
     * @param limit 1 or more
     */
    record DeliveriesQuery(Fid owner, WebhookId webhookId, Optional<Long> before, int limit) {
        public DeliveriesQuery {
            Require.notNull("owner", owner);
            Require.notNull("webhookId", webhookId);
            Require.notNull("before", before);
            Require.atLeast("limit", limit, 1);
        }
    }
}
