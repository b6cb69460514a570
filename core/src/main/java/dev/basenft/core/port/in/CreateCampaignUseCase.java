package dev.basenft.core.port.in;

import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.Fid;
import dev.basenft.core.model.Require;

/** Creates a DRAFT campaign for its owner. */
public interface CreateCampaignUseCase {

    /** @throws IllegalArgumentException naming the field that is invalid */
    Campaign create(CreateCampaignCommand command);

    /**
     * @param owner never null
     * @param name 1–100 characters
     * @param symbol 1–16 characters
     * @param description up to 2,000 characters; null means empty
     * @param baseUri up to 500 characters; null means empty
     */
    record CreateCampaignCommand(Fid owner, String name, String symbol, String description, String baseUri) {
        public CreateCampaignCommand {
            Require.notNull("owner", owner);
            name = Require.text("name", name, 1, 100);
            symbol = Require.text("symbol", symbol, 1, 16);
            description = Require.text("description", description == null ? "" : description, 0, 2000);
            baseUri = Require.text("baseUri", baseUri == null ? "" : baseUri, 0, 500);
        }
    }
}
