package dev.basenft.core.port.out;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.ExportedRecipient;
import dev.basenft.core.model.IngestResult;
import dev.basenft.core.model.NewRecipient;
import dev.basenft.core.model.Recipient;
import dev.basenft.core.model.RecipientStatus;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where a campaign's recipients are kept. One address appears at most once per campaign. Safe for concurrent use.
 */
public interface Recipients {

    /**
     * Adds recipients as PENDING, all or nothing. An address already in the campaign, or repeated in {@code recipients}, is
     * counted as a duplicate and not stored again. Implementations stream: memory must not grow with the number of rows.
     *
     * @param recipients consumed once; not null
     * @return how many were added and how many were duplicates
     * @throws RuntimeException if anything fails; then nothing of this call is stored
     */
    IngestResult addAll(CampaignId campaign, Iterator<NewRecipient> recipients);

    /**
     * PENDING recipients not yet planned into a batch, in the order they were added.
     *
     * @param limit 1 or more
     */
    List<Address> pending(CampaignId campaign, int limit);

    /** One recipient, or empty. */
    Optional<Recipient> find(CampaignId campaign, Address address);

    /**
     * One page of recipients ordered by address (lower-case hex), after {@code after}, optionally of one status.
     *
     * @param limit 1 or more
     */
    List<Recipient> list(CampaignId campaign, Optional<RecipientStatus> status, Optional<Address> after, int limit);

    /**
     * Hands every recipient of the campaign to {@code sink}, in the order they were added, each with the index of its batch.
     * Streams: memory does not grow with the number of recipients, so a million-row campaign can be exported. The rows are
     * read in one consistent snapshot. {@code sink} runs on the calling thread; what it throws ends the export and is
     * rethrown.
     *
     * @param sink not null
     */
    void export(CampaignId campaign, Consumer<ExportedRecipient> sink);

    /** Counts by status; every status present, 0 when none. */
    Map<RecipientStatus, Long> countByStatus(CampaignId campaign);
}
