package dev.basenft.adapter.postgres;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.CampaignStatus;
import dev.basenft.core.model.ChainId;
import dev.basenft.core.model.Fid;
import dev.basenft.core.model.InvalidAddressException;
import dev.basenft.core.model.Require;
import dev.basenft.core.port.out.Campaigns;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/** {@link Campaigns} on the {@code campaigns} table. Every change is one conditional UPDATE. Thread-safe. */
final class PgCampaigns implements Campaigns {

    private static final String COLUMNS =
            "id, owner_fid, name, symbol, description, base_uri, chain_id, contract, status, created_at";

    private final Jdbi jdbi;

    PgCampaigns(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void create(Campaign campaign) {
        Require.notNull("campaign", campaign);
        try {
            jdbi.useHandle(h -> h.createUpdate("INSERT INTO campaigns (" + COLUMNS + ") VALUES "
                            + "(:id, :owner, :name, :symbol, :description, :baseUri, :chainId, :contract, :status, :createdAt)")
                    .bind("id", campaign.id().value())
                    .bind("owner", campaign.owner().value())
                    .bind("name", campaign.name())
                    .bind("symbol", campaign.symbol())
                    .bind("description", campaign.description())
                    .bind("baseUri", campaign.baseUri())
                    .bind("chainId", campaign.chainId().value())
                    .bind("contract", campaign.contract().map(Codec::bytes).orElse(null))
                    .bind("status", campaign.status().name())
                    .bind("createdAt", Codec.timestamp(campaign.createdAt()))
                    .execute());
        } catch (RuntimeException e) {
            if (SqlErrors.violates(e, SqlErrors.UNIQUE_VIOLATION, "campaigns_pkey")) {
                throw new IllegalStateException("campaign " + campaign.id() + " already exists", e);
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

    @Override
    public boolean attachContract(CampaignId id, Address contract) {
        Require.notNull("id", id);
        Require.notNull("contract", contract);
        if (contract.isZero()) {
            throw new InvalidAddressException("contract must not be the zero address");
        }
        return jdbi.withHandle(h -> h.createUpdate(
                        "UPDATE campaigns SET contract = :contract WHERE id = :id AND contract IS NULL")
                .bind("id", id.value())
                .bind("contract", Codec.bytes(contract))
                .execute()) == 1;
    }

    @Override
    public boolean updateStatus(CampaignId id, CampaignStatus expected, CampaignStatus next) {
        Require.notNull("id", id);
        Require.notNull("expected", expected);
        Require.notNull("next", next);
        return jdbi.withHandle(h -> h.createUpdate(
                        "UPDATE campaigns SET status = :next WHERE id = :id AND status = :expected")
                .bind("id", id.value())
                .bind("expected", expected.name())
                .bind("next", next.name())
                .execute()) == 1;
    }

    static Campaign campaign(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Campaign(
                new CampaignId(rs.getObject("id", UUID.class)),
                new Fid(rs.getLong("owner_fid")),
                rs.getString("name"),
                rs.getString("symbol"),
                rs.getString("description"),
                rs.getString("base_uri"),
                new ChainId(rs.getLong("chain_id")),
                Codec.optionalAddress(rs.getBytes("contract")),
                CampaignStatus.valueOf(rs.getString("status")),
                Codec.instant(rs, "created_at"));
    }
}
