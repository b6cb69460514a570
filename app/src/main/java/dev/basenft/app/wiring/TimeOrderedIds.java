package dev.basenft.app.wiring;

import dev.basenft.core.model.BatchId;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.Webhook;
import dev.basenft.core.model.WebhookId;
import dev.basenft.core.port.out.IdGenerator;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Base64;
import java.util.UUID;

/**
 * UUIDv7 ids (RFC 9562): 48 bits of Unix milliseconds, then 74 random bits. Time-ordered ids keep PostgreSQL's primary-key
 * indexes appending at the right edge instead of splitting random pages, and still cannot be guessed. Thread-safe.
 */
public final class TimeOrderedIds implements IdGenerator {

    private final InstantSource clock;
    private final SecureRandom random = new SecureRandom();

    /** @param clock the source of the timestamp bits; never null */
    public TimeOrderedIds(InstantSource clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public CampaignId newCampaignId() {
        return new CampaignId(next());
    }

    @Override
    public BatchId newBatchId() {
        return new BatchId(next());
    }

    @Override
    public WebhookId newWebhookId() {
        return new WebhookId(next());
    }

    /** {@code whsec_} and 32 random bytes (256 bits) in unpadded base64url. */
    @Override
    public String newWebhookSecret() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Webhook.SECRET_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    UUID next() {
        long millis = clock.millis() & 0xFFFF_FFFF_FFFFL;
        long randA = random.nextInt(1 << 12);
        long randB = random.nextLong();
        long most = (millis << 16) | (0x7L << 12) | randA;
        long least = (randB & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(most, least);
    }
}
