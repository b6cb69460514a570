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

    WebhookId newWebhookId();

    /**
     * A new webhook signing secret: {@link dev.basenft.core.model.Webhook#SECRET_PREFIX} and at least 128 bits of
     * unpredictable randomness in URL-safe characters.
     */
    String newWebhookSecret();
}
