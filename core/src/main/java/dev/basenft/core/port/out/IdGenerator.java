package dev.basenft.core.port.out;

import dev.basenft.core.model.BatchId;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.WebhookId;

/**
 * Makes new ids, and webhook secrets, so core itself never touches randomness. Safe for concurrent use.
 */
public interface IdGenerator {

    CampaignId newCampaignId();

    BatchId newBatchId();

    /**
     * A new webhook id. Only {@code WebhookService} asks for one; the default refuses, so a generator written before
     * webhooks existed still compiles and serves everything else.
     *
     * @throws UnsupportedOperationException unless implemented
     */
    default WebhookId newWebhookId() {
        throw new UnsupportedOperationException(getClass().getName() + " makes no webhook ids: implement "
                + "IdGenerator.newWebhookId and newWebhookSecret to register webhooks");
    }

    /**
     * A new webhook signing secret: {@link dev.basenft.core.model.Webhook#SECRET_PREFIX} and at least 128 bits of
     * unpredictable randomness (a {@code SecureRandom}) in URL-safe characters. The default refuses, as
     * {@link #newWebhookId}'s does: there is no safe secret to derive from ids.
     *
     * @throws UnsupportedOperationException unless implemented
     */
    default String newWebhookSecret() {
        throw new UnsupportedOperationException(getClass().getName() + " makes no webhook secrets: implement "
                + "IdGenerator.newWebhookId and newWebhookSecret to register webhooks");
    }
}
