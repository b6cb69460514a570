package dev.basenft.core.port.in;

import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.Fid;
import dev.basenft.core.model.Require;
import dev.basenft.core.model.Webhook;
import java.util.List;
import java.util.Optional;

/** Registers a webhook for one of the caller's campaigns, or for all of them; the store makes its signing secret. */
public interface RegisterWebhookUseCase {

    /**
     * @return the stored webhook, with its secret: the only time the secret is handed out
     * @throws dev.basenft.core.model.InvalidArgumentException naming {@code url}, {@code events} or {@code campaignId}
     *     when one is not acceptable (nothing is stored then)
     */
    Webhook register(RegisterWebhookCommand command);

    /**
     * @param owner never null
     * @param url the receiver's URL as given; checked by the use case; may be null (refused, naming {@code url})
     * @param events the event names as given; may be null (refused, naming {@code events})
     * @param campaignId the one campaign, or empty for every campaign of {@code owner}; never null
     */
    record RegisterWebhookCommand(Fid owner, String url, List<String> events, Optional<CampaignId> campaignId) {
        public RegisterWebhookCommand {
            Require.notNull("owner", owner);
            Require.notNull("campaignId", campaignId);
            events = events == null ? null : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(events));
        }
    }
}
