package dev.basenft.core.port.in;

import dev.basenft.core.model.Fid;
import dev.basenft.core.model.Require;
import dev.basenft.core.model.WebhookId;
import java.util.UUID;

/** Records a {@code webhook.test} event for one of the caller's webhooks, delivered like any other event. */
public interface TestWebhookUseCase {

    /**
     * @return the test event's id, which the receiver will see in its body and {@code X-BaseNft-Event-Id}
     * @throws WebhookNotFoundException when the webhook is not the owner's
     */
    UUID test(TestWebhookCommand command);

    record TestWebhookCommand(Fid owner, WebhookId webhookId) {
        public TestWebhookCommand {
            Require.notNull("owner", owner);
            Require.notNull("webhookId", webhookId);
        }
    }
}
