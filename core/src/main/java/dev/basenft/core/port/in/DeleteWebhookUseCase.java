package dev.basenft.core.port.in;

import dev.basenft.core.model.Fid;
import dev.basenft.core.model.Require;
import dev.basenft.core.model.WebhookId;

/** Deletes one of the caller's webhooks: no further deliveries, and its delivery log goes with it. */
public interface DeleteWebhookUseCase {

    /** @throws WebhookNotFoundException when the webhook is not the owner's */
    void delete(DeleteWebhookCommand command);

    record DeleteWebhookCommand(Fid owner, WebhookId webhookId) {
        public DeleteWebhookCommand {
            Require.notNull("owner", owner);
            Require.notNull("webhookId", webhookId);
        }
    }
}
