package dev.basenft.core.port.out;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.BatchSummary;
import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.CampaignStatus;
import dev.basenft.core.model.CollectionDeployment;
import dev.basenft.core.model.Fid;
import dev.basenft.core.model.Require;
import java.util.List;
import java.util.Optional;

/**
 * Where campaigns are kept. Implementations must be safe for concurrent use; every state change is conditional, so two
 * processes acting on the same campaign cannot both win.
 */
public interface Campaigns {

    /**
     * Stores a new campaign.
     *
     * @throws IllegalStateException if a campaign with the same id exists
     */
    void create(Campaign campaign);

    /** The campaign, or empty. */
    Optional<Campaign> find(CampaignId id);

    /**
     * The campaign with its recipients and batches counted by status, all read at one moment: the counts agree with each
     * other and with the campaign's status (what {@link Recipients#countByStatus} and {@link Batches#countByStatus} would
     * answer if nothing changed in between). The status page polls this, so a database should answer it in one round trip.
     *
     * @param id never null
     * @return empty when there is no such campaign; never null
     */
    Optional<CampaignWithSummary> findWithSummary(CampaignId id);

    /**
     * One page of an owner's campaigns in id order, starting after {@code after} (keyset pagination).
     *
     * @param limit 1 or more
     * @return never null; empty when there are no more
     */
    List<Campaign> listByOwner(Fid owner, Optional<CampaignId> after, int limit);

    /**
     * Sets the campaign's collection if the campaign has none yet and no campaign on the same chain has this collection:
     * one collection, one campaign. Atomic: of racing calls for one campaign, or for one collection, at most one attaches.
     *
     * @param id never null
     * @param deployment never null
     * @return what happened; never null
     */
    Attachment attachCollection(CampaignId id, CollectionDeployment deployment);

    /**
     * Moves the campaign from {@code expected} to {@code next} if it is still in {@code expected}. A move to COMPLETED or
     * FAILED also records a {@code campaign.completed} / {@code campaign.failed} webhook event (data: {@code status}), in
     * the same transaction: the change and its event are kept together or not at all (see {@link Webhooks}).
     *
     * @return true when this call made the change
     */
    boolean updateStatus(CampaignId id, CampaignStatus expected, CampaignStatus next);

    /** What {@link #attachCollection} did. */
    sealed interface Attachment {

        /** Attached by this call. */
        record Attached() implements Attachment {
        }

        /** There is no such campaign; nothing changed. */
        record NoSuchCampaign() implements Attachment {
        }

        /**
         * The campaign already has a collection (perhaps this very one); nothing changed.
         *
         * @param existing the collection it has; never null
         */
        record CampaignHasCollection(Address existing) implements Attachment {
            public CampaignHasCollection {
                Require.notNull("existing", existing);
            }
        }

        /**
         * Another campaign on the same chain has this collection; nothing changed.
         *
         * @param holder the campaign that has it; never null
         */
        record CollectionTaken(CampaignId holder) implements Attachment {
            public CollectionTaken {
                Require.notNull("holder", holder);
            }
        }
    }

    /**
     * A campaign and its counts, as {@link #findWithSummary} reads them. Immutable.
     *
     * @param campaign never null
     * @param summary counts for {@code campaign}; never null
     */
    record CampaignWithSummary(Campaign campaign, BatchSummary summary) {

        public CampaignWithSummary {
            Require.notNull("campaign", campaign);
            Require.notNull("summary", summary);
        }
    }
}
