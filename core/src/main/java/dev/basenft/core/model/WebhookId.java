package dev.basenft.core.model;

import java.util.UUID;

/**
 * Identifies a registered webhook. Ids come from the {@code IdGenerator} port.
 *
 * @param value never null
 */
public record WebhookId(UUID value) {

    public WebhookId {
        Ids.require("webhookId", value);
    }

    /** Parses the canonical UUID text form, naming the value when it is not one. */
    public static WebhookId parse(String text) {
        return new WebhookId(Ids.parse("webhookId", text));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
