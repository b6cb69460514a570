package dev.basenft.core.port.out;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.ExportedRecipient;
import dev.basenft.core.model.IngestResult;
import dev.basenft.core.model.NewRecipient;
import dev.basenft.core.model.Recipient;
import dev.basenft.core.model.RecipientStatus;
import dev.basenft.core.model.Require;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
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

    /**
     * Removes recipients that are not planned yet (PENDING), all or nothing: when any listed address is planned or minted
     * (any other status), nothing is removed and every such address is named. Addresses not in the campaign are reported
     * as absent (a repeated removal is harmless). Atomic against planning: a recipient is either removed or planned.
     *
     * @param addresses 1 or more, no nulls; repeats count once
     * @return what happened; never null
     */
    Removal remove(CampaignId campaign, List<Address> addresses);

    /** What {@link #remove} did. */
    sealed interface Removal {

        /**
         * Removed every listed recipient that was in the campaign.
         *
         * @param removed how many rows were removed
         * @param absent the listed addresses that were not in the campaign, in the order given; never null
         */
        record Removed(int removed, List<Address> absent) implements Removal {
            public Removed {
                absent = List.copyOf(Require.notNull("absent", absent));
            }
        }

        /**
         * Nothing was removed: these recipients are planned or minted already.
         *
         * @param planned address → its status (not PENDING), in the order given; never null, not empty
         */
        record Refused(Map<Address, RecipientStatus> planned) implements Removal {
            public Refused {
                planned = Collections.unmodifiableMap(new LinkedHashMap<>(
                        Require.notNull("planned", planned)));
                if (planned.isEmpty()) {
                    throw new IllegalArgumentException("a refusal names at least one planned recipient");
                }
            }
        }
    }
}
