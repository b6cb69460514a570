package dev.basenft.core.model;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * One occurrence of something a webhook reports, as recorded (in the same transaction as the change that caused it): every
 * delivery and every repeat of it carries the same {@link #id}. Immutable.
 *
 * @param id the event id receivers de-duplicate by; never null
 * @param type never null
 * @param campaignId the campaign it is about; empty only for {@link WebhookEventType#WEBHOOK_TEST}; never null
 * @param createdAt when the change happened; never null
 * @param data the event's details: names to strings or longs, in a stable order; never null, copied
 */
public record WebhookEvent(UUID id, WebhookEventType type, Optional<CampaignId> campaignId, Instant createdAt,
        Map<String, Object> data) {

    public WebhookEvent {
        Require.notNull("id", id);
        Require.notNull("type", type);
        Require.notNull("campaignId", campaignId);
        Require.notNull("createdAt", createdAt);
        Require.notNull("data", data);
        if (campaignId.isEmpty() && type != WebhookEventType.WEBHOOK_TEST) {
            throw new InvalidArgumentException("campaignId", "campaignId is required for " + type.wireName());
        }
        for (Map.Entry<String, Object> e : data.entrySet()) {
            if (e.getKey() == null || !(e.getValue() instanceof String || e.getValue() instanceof Long)) {
                throw new InvalidArgumentException("data", "data must map names to strings or longs");
            }
        }
        data = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }
}
