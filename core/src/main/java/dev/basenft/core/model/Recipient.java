package dev.basenft.core.model;

import java.util.Optional;

/**
 * One address of a campaign that gets exactly one token.
 *
 * @param campaignId never null
 * @param address never null, never the zero address
 * @param fid the recipient's Farcaster id when known; never null
 * @param status never null
 * @param tokenId the minted token, once COMPLETED; never null
 * @param txHash the transaction that minted it, once COMPLETED; never null
 * @param lastError why the last attempt failed, when FAILED; never null
 */
public record Recipient(
        CampaignId campaignId,
        Address address,
        Optional<Fid> fid,
        RecipientStatus status,
        Optional<TokenId> tokenId,
        Optional<TxHash> txHash,
        Optional<String> lastError) {

    public Recipient {
        Require.notNull("campaignId", campaignId);
        Require.notNull("address", address);
        if (address.isZero()) {
            throw new InvalidAddressException("recipient address must not be the zero address");
        }
        Require.notNull("fid", fid);
        Require.notNull("status", status);
        Require.notNull("tokenId", tokenId);
        Require.notNull("txHash", txHash);
        Require.notNull("lastError", lastError);
        if (status == RecipientStatus.COMPLETED && (tokenId.isEmpty() || txHash.isEmpty())) {
            throw new IllegalArgumentException("a COMPLETED recipient needs its tokenId and txHash");
        }
    }

    /** A recipient just added: PENDING, nothing minted. */
    public static Recipient pending(CampaignId campaignId, Address address, Optional<Fid> fid) {
        return new Recipient(campaignId, address, fid, RecipientStatus.PENDING, Optional.empty(), Optional.empty(),
                Optional.empty());
    }
}
