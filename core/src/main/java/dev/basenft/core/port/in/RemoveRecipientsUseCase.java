package dev.basenft.core.port.in;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.Fid;
import dev.basenft.core.model.RecipientStatus;
import dev.basenft.core.model.Require;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Removes recipients before they are planned into a batch, all or nothing: a recipient already planned or minted cannot be
 * removed (its batch may be signed), and then nothing is removed. An address not in the campaign is reported, not refused,
 * so a removal repeated after a lost answer is harmless. Any campaign state: only the recipients' own state matters.
 */
public interface RemoveRecipientsUseCase {

    /** The most addresses one command may name. */
    int MAX_ADDRESSES = 10_000;

    /**
     * @return what happened; never null
     * @throws CampaignNotFoundException when the campaign is not the owner's
     */
    RemovalResult remove(RemoveRecipientsCommand command);

    /**
     * @param owner never null
     * @param campaignId never null
     * @param addresses 1 to {@link #MAX_ADDRESSES}, no nulls; a repeat counts once
     */
    record RemoveRecipientsCommand(Fid owner, CampaignId campaignId, List<Address> addresses) {
        public RemoveRecipientsCommand {
            Require.notNull("owner", owner);
            Require.notNull("campaignId", campaignId);
            Require.notNull("addresses", addresses);
            Require.between("addresses", addresses.size(), 1, MAX_ADDRESSES);
            for (int i = 0; i < addresses.size(); i++) {
                Require.notNull("addresses[" + i + "]", addresses.get(i));
            }
            addresses = List.copyOf(addresses);
        }
    }

    /** What a removal did. */
    sealed interface RemovalResult {

        /**
         * Every listed recipient that was in the campaign is gone.
         *
         * @param removed how many were removed
         * @param absent listed addresses that were not in the campaign; never null
         */
        record Removed(int removed, List<Address> absent) implements RemovalResult {
            public Removed {
                absent = List.copyOf(Require.notNull("absent", absent));
            }
        }

        /**
         * Nothing was removed: these recipients are planned or minted.
         *
         * @param planned address → status, never null, not empty
         */
        record Refused(Map<Address, RecipientStatus> planned) implements RemovalResult {
            public Refused {
                planned = Collections.unmodifiableMap(new LinkedHashMap<>(Require.notNull("planned", planned)));
            }
        }
    }
}
