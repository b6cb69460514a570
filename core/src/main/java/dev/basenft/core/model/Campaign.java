package dev.basenft.core.model;

import java.time.Instant;
import java.util.Optional;

/**
 * A creator's distribution: what to mint (name, symbol, metadata) and where (chain, collection contract).
 *
 * @param id never null
 * @param owner the creator's Farcaster id; never null
 * @param name collection name, 1–100 characters
 * @param symbol collection symbol, 1–16 characters
 * @param description free text up to 2,000 characters; never null (may be empty)
 * @param baseUri metadata base URI the contract prefixes to token ids; never null (may be empty)
 * @param chainId the chain the collection lives on; never null
 * @param collection the collection and its deploy, once attached; never null (empty until then)
 * @param status never null
 * @param createdAt never null
 */
public record Campaign(
        CampaignId id,
        Fid owner,
        String name,
        String symbol,
        String description,
        String baseUri,
        ChainId chainId,
        Optional<CollectionDeployment> collection,
        CampaignStatus status,
        Instant createdAt) {

    public Campaign {
        Require.notNull("id", id);
        Require.notNull("owner", owner);
        name = Require.text("name", name, 1, 100);
        symbol = Require.text("symbol", symbol, 1, 16);
        description = Require.text("description", description == null ? "" : description, 0, 2000);
        baseUri = Require.text("baseUri", baseUri == null ? "" : baseUri, 0, 500);
        Require.notNull("chainId", chainId);
        Require.notNull("collection", collection);
        Require.notNull("status", status);
        Require.notNull("createdAt", createdAt);
    }

    /** The collection contract's address, once attached; never null (empty until then). */
    public Optional<Address> contract() {
        return collection.map(CollectionDeployment::address);
    }

    /** A new DRAFT campaign with no contract yet. */
    public static Campaign draft(CampaignId id, Fid owner, String name, String symbol, String description, String baseUri,
            ChainId chainId, Instant createdAt) {
        return new Campaign(id, owner, name, symbol, description, baseUri, chainId, Optional.empty(), CampaignStatus.DRAFT,
                createdAt);
    }

    /** This campaign in {@code target} state; throws {@link IllegalTransitionException} when the move is not allowed. */
    public Campaign withStatus(CampaignStatus target) {
        return new Campaign(id, owner, name, symbol, description, baseUri, chainId, collection, status.moveTo(target),
                createdAt);
    }

    /** This campaign with its collection attached; only once. */
    public Campaign withCollection(CollectionDeployment deployment) {
        Require.notNull("deployment", deployment);
        if (collection.isPresent()) {
            throw new IllegalStateException("campaign " + id + " already has contract " + collection.get().address());
        }
        return new Campaign(id, owner, name, symbol, description, baseUri, chainId, Optional.of(deployment), status,
                createdAt);
    }
}
