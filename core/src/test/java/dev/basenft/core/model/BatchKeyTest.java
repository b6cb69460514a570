package dev.basenft.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class BatchKeyTest {

    private static final CampaignId CAMPAIGN = new CampaignId(UUID.fromString("c0000000-0000-0000-0000-000000000001"));

    /**
     * Pinned values: keccak256(campaign UUID's 16 bytes ‖ index as big-endian uint32), computed independently. The key is
     * on chain, so changing the derivation would let an already minted batch mint again.
     */
    @Test
    void derivesThePinnedKeys() {
        assertThat(BatchKey.derive(CAMPAIGN, 0).value())
                .isEqualTo("0x5bf9de545b90c4b3ec39c040d6e7d7606d14cb03749a9e34f1caac4b2a155343");
        assertThat(BatchKey.derive(CAMPAIGN, 7).value())
                .isEqualTo("0xb9cdc98ce18f3986c07c283e4e80419680500da418fb765da25f725fb24b4e35");
        assertThat(BatchKey.derive(CampaignId.parse("123e4567-e89b-12d3-a456-426614174000"), 41).value())
                .isEqualTo("0xc1b4b594abd20b5f90a269656ec863ab421002a19311769492a23ca0f81e7036");
    }

    @Test
    void derivesTheSameKeyEveryTimeAndADifferentOneForEveryIndexOrCampaign() {
        assertThat(BatchKey.derive(CAMPAIGN, 3)).isEqualTo(BatchKey.derive(CAMPAIGN, 3));

        Set<BatchKey> keys = new HashSet<>();
        for (int index = 0; index < 1_000; index++) {
            keys.add(BatchKey.derive(CAMPAIGN, index));
            keys.add(BatchKey.derive(new CampaignId(new UUID(0xc000_0000_0000_0000L, 2)), index));
        }
        assertThat(keys).hasSize(2_000);
    }

    @Test
    void refusesANegativeIndexAndAMissingCampaignNamingThem() {
        assertThatThrownBy(() -> BatchKey.derive(CAMPAIGN, -1)).hasMessageContaining("index must not be negative");
        assertThatThrownBy(() -> BatchKey.derive(null, 0)).hasMessageContaining("campaign must not be null");
    }

    @Test
    void holdsLowerCaseBytes32Only() {
        String upper = "0x5BF9DE545B90C4B3EC39C040D6E7D7606D14CB03749A9E34F1CAAC4B2A155343";

        assertThat(new BatchKey(upper)).isEqualTo(BatchKey.derive(CAMPAIGN, 0));
        assertThat(new BatchKey(upper).bytes()).hasSize(32);
        assertThatThrownBy(() -> new BatchKey("0x1234")).hasMessageContaining("batchKey must be 0x and 64 hex digits");
    }
}
