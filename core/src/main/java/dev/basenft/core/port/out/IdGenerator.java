package dev.basenft.core.port.out;

import dev.basenft.core.model.BatchId;
import dev.basenft.core.model.CampaignId;

/** Makes new ids, so core itself never touches randomness. Safe for concurrent use. */
public interface IdGenerator {

    CampaignId newCampaignId();

    BatchId newBatchId();
}
