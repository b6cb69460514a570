package dev.basenft.core.port.in;

import dev.basenft.core.model.WebhookId;

/** No webhook with this id belongs to the caller. Other owners' webhooks are reported the same way, so ids leak nothing. */
public final class WebhookNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public WebhookNotFoundException(WebhookId id) {
        super("webhook " + id + " not found");
    }
}
