package dev.basenft.core.model;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** What a webhook event reports; {@link #wireName()} is the {@code type} a receiver sees. */
public enum WebhookEventType {

    /** A campaign moved to COMPLETED: every batch minted. */
    CAMPAIGN_COMPLETED("campaign.completed"),
    /** A campaign moved to FAILED: no batch is open and at least one failed. */
    CAMPAIGN_FAILED("campaign.failed"),
    /** A batch moved to FAILED (its attempts are spent, or its mint reverted). */
    BATCH_FAILED("batch.failed"),
    /** Sent on request to one webhook only, to check the receiver; never subscribed to. */
    WEBHOOK_TEST("webhook.test");

    /** The types a webhook may subscribe to. */
    public static final Set<WebhookEventType> SUBSCRIBABLE =
            Set.copyOf(EnumSet.of(CAMPAIGN_COMPLETED, CAMPAIGN_FAILED, BATCH_FAILED));

    private final String wireName;

    WebhookEventType(String wireName) {
        this.wireName = wireName;
    }

    /** The name on the wire, e.g. {@code campaign.completed}; never null. */
    public String wireName() {
        return wireName;
    }

    /** The type named {@code wireName} exactly, or empty; null gives empty. */
    public static Optional<WebhookEventType> fromWireName(String wireName) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(wireName)).findFirst();
    }
}
