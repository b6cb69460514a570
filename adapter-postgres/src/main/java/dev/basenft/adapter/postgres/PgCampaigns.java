package dev.basenft.adapter.postgres;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.BatchStatus;
import dev.basenft.core.model.BatchSummary;
import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.CampaignStatus;
import dev.basenft.core.model.ChainId;
import dev.basenft.core.model.CollectionDeployment;
import dev.basenft.core.model.Fid;
import dev.basenft.core.model.RecipientStatus;
import dev.basenft.core.model.Require;
import dev.basenft.core.port.out.Campaigns;
import dev.basenft.core.port.out.Campaigns.Attachment;
import dev.basenft.core.port.out.Campaigns.CampaignWithSummary;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.time.InstantSource;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/** {@link Campaigns} on the {@code campaigns} table. Every change is one conditional UPDATE. Thread-safe. */
final class PgCampaigns implements Campaigns {

    private static final String COLUMNS =
            "id, owner_fid, name, symbol, description, base_uri, chain_id, contract, creator_wallet, deploy_block, status,"
                    + " created_at";
    /**
     * The campaign row and its counts in one statement, so one snapshot (the counts agree with each other and with the
     * status) and one round trip. Recipients in batches are counted from the batches' generated {@code recipient_count}
     * (V5 says why that equals counting their rows); only the unplanned ones are counted as rows (V11): the PENDING ones
     * above {@code planned_through} through the partial index {@code recipients_pending}, which the literal status lets
     * the planner use, and the RETURNED ones through {@code recipients_status_keyset}. Aggregates without GROUP BY
     * always give one row, so a campaign without batches gets zeros, not a missing row.
     */
    private static final String WITH_SUMMARY = "SELECT c.id, c.owner_fid, c.name, c.symbol, c.description, c.base_uri,"
            + " c.chain_id, c.contract, c.creator_wallet, c.deploy_block, c.status, c.created_at,"
            + " (SELECT count(*) FROM recipients r WHERE r.campaign_id = c.id AND r.status = 'PENDING'"
            + " AND r.seq > c.planned_through)"
            + " + (SELECT count(*) FROM recipients r WHERE r.campaign_id = c.id AND r.status = 'RETURNED') AS r_pending,"
            + " b.*"
            + " FROM campaigns c CROSS JOIN LATERAL (SELECT"
            + " count(*) FILTER (WHERE status = 'PENDING') AS b_pending,"
            + " count(*) FILTER (WHERE status = 'PROCESSING') AS b_processing,"
            + " count(*) FILTER (WHERE status = 'SUBMITTED') AS b_submitted,"
            + " count(*) FILTER (WHERE status = 'COMPLETED') AS b_completed,"
            + " count(*) FILTER (WHERE status = 'FAILED') AS b_failed,"
            + " count(*) FILTER (WHERE status = 'CANCELLED') AS b_cancelled,"
            + " coalesce(sum(recipient_count) FILTER (WHERE status IN ('PENDING', 'PROCESSING', 'SUBMITTED')), 0)"
            + " AS r_processing,"
            + " coalesce(sum(recipient_count) FILTER (WHERE status = 'COMPLETED'), 0) AS r_completed,"
            + " coalesce(sum(recipient_count) FILTER (WHERE status = 'FAILED'), 0) AS r_failed"
            + " FROM batches WHERE campaign_id = c.id) b"
            + " WHERE c.id = :id";

    /** The unique index (V6) that keeps one collection to one campaign per chain. */
    static final String COLLECTION_UNIQUE = "campaigns_collection_unique";

    private final Jdbi jdbi;
    /** Stamps webhook events, as the batch store's clock stamps its changes. */
    private final InstantSource time;

    PgCampaigns(Jdbi jdbi, InstantSource time) {
        this.jdbi = jdbi;
        this.time = time;
    }

    @Override
    public void create(Campaign campaign) {
        Require.notNull("campaign", campaign);
        try {
            jdbi.useHandle(h -> h.createUpdate("INSERT INTO campaigns (" + COLUMNS + ") VALUES (:id, :owner, :name,"
                            + " :symbol, :description, :baseUri, :chainId, :contract, :creator, :block, :status, :createdAt)")
                    .bind("id", campaign.id().value())
                    .bind("owner", campaign.owner().value())
                    .bind("name", campaign.name())
                    .bind("symbol", campaign.symbol())
                    .bind("description", campaign.description())
                    .bind("baseUri", campaign.baseUri())
                    .bind("chainId", campaign.chainId().value())
                    .bind("contract", campaign.contract().map(Codec::bytes).orElse(null))
                    .bind("creator", campaign.collection().flatMap(CollectionDeployment::creatorWallet).map(Codec::bytes)
                            .orElse(null))
                    .bind("block", campaign.collection().flatMap(CollectionDeployment::deployBlock).orElse(null))
                    .bind("status", campaign.status().name())
                    .bind("createdAt", Codec.timestamp(campaign.createdAt()))
                    .execute());
        } catch (RuntimeException e) {
            if (SqlErrors.violates(e, SqlErrors.UNIQUE_VIOLATION, "campaigns_pkey")) {
                throw new IllegalStateException("campaign " + campaign.id() + " already exists", e);
            }
            if (SqlErrors.violates(e, SqlErrors.UNIQUE_VIOLATION, COLLECTION_UNIQUE)) {
                throw new IllegalStateException("collection " + campaign.contract().orElseThrow()
                        + " is already another campaign's", e);
            }
            throw e;
        }
    }

    @Override
    public Optional<Campaign> find(CampaignId id) {
        Require.notNull("id", id);
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM campaigns WHERE id = :id")
                .bind("id", id.value())
                .map(PgCampaigns::campaign)
                .findOne());
    }

    @Override
    public Optional<CampaignWithSummary> findWithSummary(CampaignId id) {
        Require.notNull("id", id);
        return jdbi.withHandle(h -> h.createQuery(WITH_SUMMARY)
                .bind("id", id.value())
                .map(PgCampaigns::withSummary)
                .findOne());
    }

    private static CampaignWithSummary withSummary(ResultSet rs, StatementContext ctx) throws SQLException {
        Map<RecipientStatus, Long> recipients = new EnumMap<>(RecipientStatus.class);
        recipients.put(RecipientStatus.PENDING, rs.getLong("r_pending"));
        recipients.put(RecipientStatus.PROCESSING, rs.getLong("r_processing"));
        recipients.put(RecipientStatus.COMPLETED, rs.getLong("r_completed"));
        recipients.put(RecipientStatus.FAILED, rs.getLong("r_failed"));
        Map<BatchStatus, Long> batches = new EnumMap<>(BatchStatus.class);
        batches.put(BatchStatus.PENDING, rs.getLong("b_pending"));
        batches.put(BatchStatus.PROCESSING, rs.getLong("b_processing"));
        batches.put(BatchStatus.SUBMITTED, rs.getLong("b_submitted"));
        batches.put(BatchStatus.COMPLETED, rs.getLong("b_completed"));
        batches.put(BatchStatus.FAILED, rs.getLong("b_failed"));
        // A cancelled batch's recipients are PENDING again, counted as rows above; the batch counts none.
        batches.put(BatchStatus.CANCELLED, rs.getLong("b_cancelled"));
        return new CampaignWithSummary(campaign(rs, ctx), new BatchSummary(recipients, batches));
    }

    @Override
    public List<Campaign> listByOwner(Fid owner, Optional<CampaignId> after, int limit) {
        Require.notNull("owner", owner);
        Require.notNull("after", after);
        Require.positive("limit", limit);
        // uuid orders as CampaignId.compareTo does: unsigned, byte by byte.
        String keyset = after.isPresent() ? " AND id > :after" : "";
        return jdbi.withHandle(h -> {
            var query = h.createQuery("SELECT " + COLUMNS + " FROM campaigns WHERE owner_fid = :owner" + keyset
                            + " ORDER BY id LIMIT :limit")
                    .bind("owner", owner.value())
                    .bind("limit", limit);
            after.ifPresent(a -> query.bind("after", a.value()));
            return query.map(PgCampaigns::campaign).list();
        });
    }

    /**
     * One conditional UPDATE; the unique index campaigns_collection_unique refuses a collection another campaign on the
     * chain has, so two racing attaches of one collection cannot both succeed. When nothing was updated, a read says why.
     */
    @Override
    public Attachment attachCollection(CampaignId id, CollectionDeployment deployment) {
        Require.notNull("id", id);
        Require.notNull("deployment", deployment);
        int updated;
        try {
            updated = jdbi.withHandle(h -> h.createUpdate("UPDATE campaigns SET contract = :contract,"
                            + " creator_wallet = :creator, deploy_block = :block WHERE id = :id AND contract IS NULL")
                    .bind("id", id.value())
                    .bind("contract", Codec.bytes(deployment.address()))
                    .bind("creator", deployment.creatorWallet().map(Codec::bytes).orElse(null))
                    .bind("block", deployment.deployBlock().orElse(null))
                    .execute());
        } catch (RuntimeException e) {
            if (SqlErrors.violates(e, SqlErrors.UNIQUE_VIOLATION, COLLECTION_UNIQUE)) {
                return holderOf(id, deployment.address()).<Attachment>map(Attachment.CollectionTaken::new)
                        .orElseThrow(() -> new IllegalStateException("collection " + deployment.address()
                                + " violated " + COLLECTION_UNIQUE + " but no other campaign holds it", e));
            }
            throw e;
        }
        if (updated == 1) {
            return new Attachment.Attached();
        }
        return find(id).<Attachment>map(c -> new Attachment.CampaignHasCollection(c.contract().orElseThrow()))
                .orElseGet(Attachment.NoSuchCampaign::new);
    }

    /** The campaign on {@code id}'s chain that has {@code collection}, other than {@code id} itself. */
    private Optional<CampaignId> holderOf(CampaignId id, Address collection) {
        return jdbi.withHandle(h -> h.createQuery("SELECT other.id FROM campaigns c JOIN campaigns other"
                        + " ON other.chain_id = c.chain_id AND other.contract = :contract AND other.id <> c.id"
                        + " WHERE c.id = :id")
                .bind("id", id.value())
                .bind("contract", Codec.bytes(collection))
                .mapTo(UUID.class)
                .findOne()
                .map(CampaignId::new));
    }

    @Override
    public boolean updateStatus(CampaignId id, CampaignStatus expected, CampaignStatus next) {
        Require.notNull("id", id);
        Require.notNull("expected", expected);
        Require.notNull("next", next);
        // The webhook event goes in with the change (the outbox): a crash keeps both or neither.
        return jdbi.inTransaction(h -> {
            if (next.isHalted()) {
                // FOR UPDATE, not the UPDATE's own FOR NO KEY UPDATE: it conflicts with the FOR KEY SHARE a write-ahead
                // reads the status under (PgTransactionLedger.refuseIfHalted), so a pause or cancel and the signing of a
                // batch are ordered, never interleaved.
                h.createQuery("SELECT true FROM campaigns WHERE id = :id FOR UPDATE")
                        .bind("id", id.value())
                        .mapTo(Boolean.class)
                        .findOne();
            }
            boolean moved = h.createUpdate("UPDATE campaigns SET status = :next WHERE id = :id AND status = :expected")
                    .bind("id", id.value())
                    .bind("expected", expected.name())
                    .bind("next", next.name())
                    .execute() == 1;
            if (moved) {
                PgWebhooks.recordCampaignEvent(h, id, next, time.instant());
            }
            return moved;
        });
    }

    static Campaign campaign(ResultSet rs, StatementContext ctx) throws SQLException {
        Optional<Address> creator = Codec.optionalAddress(rs.getBytes("creator_wallet"));
        Optional<Long> block = Codec.optionalLong(rs, "deploy_block");
        return new Campaign(
                new CampaignId(rs.getObject("id", UUID.class)),
                new Fid(rs.getLong("owner_fid")),
                rs.getString("name"),
                rs.getString("symbol"),
                rs.getString("description"),
                rs.getString("base_uri"),
                new ChainId(rs.getLong("chain_id")),
                Codec.optionalAddress(rs.getBytes("contract"))
                        .map(contract -> new CollectionDeployment(contract, creator, block)),
                CampaignStatus.valueOf(rs.getString("status")),
                Codec.instant(rs, "created_at"));
    }
}
