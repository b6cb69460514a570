package dev.basenft.core.testing;

import dev.basenft.core.model.BatchId;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.WebhookId;
import dev.basenft.core.port.out.IdGenerator;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ids that count up and say what they are: campaigns {@code c0000000-0000-0000-0000-00000000000N}, batches
 * {@code b0000000-…-N}, so a failing test's output is readable and runs are repeatable. Both prefixes have the UUID's top bit
 * set, which keeps code honest about ordering ids without sign surprises. Thread-safe.
 */
public final class SequentialIds implements IdGenerator {

    private static final long CAMPAIGN_PREFIX = 0xc000_0000_0000_0000L;
    private static final long BATCH_PREFIX = 0xb000_0000_0000_0000L;
    private static final long WEBHOOK_PREFIX = 0xe000_0000_0000_0000L;

    private final AtomicLong campaigns = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong webhooks = new AtomicLong();

    @Override
    public CampaignId newCampaignId() {
        return new CampaignId(new UUID(CAMPAIGN_PREFIX, campaigns.incrementAndGet()));
    }

    @Override
    public BatchId newBatchId() {
        return new BatchId(new UUID(BATCH_PREFIX, batches.incrementAndGet()));
    }

    /** Webhooks {@code e0000000-…-N}. */
    @Override
    public WebhookId newWebhookId() {
        return new WebhookId(new UUID(WEBHOOK_PREFIX, webhooks.incrementAndGet()));
    }

    /** Not secret at all, but unique and well-formed: tests sign and check with it. */
    @Override
    public String newWebhookSecret() {
        return "whsec_test" + String.format("%022d", webhooks.get());
    }
}
