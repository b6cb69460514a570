package dev.basenft.adapter.postgres;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.Fid;
import dev.basenft.core.model.NewRecipient;
import dev.basenft.core.model.Recipient;
import dev.basenft.core.model.RecipientStatus;
import dev.basenft.core.model.Require;
import dev.basenft.core.model.TokenId;
import dev.basenft.core.port.out.Recipients;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * {@link Recipients} on the {@code recipients} table.
 *
 * <p>{@link #addAll} streams the upload with COPY into a temporary table and moves it into {@code recipients} with one
 * {@code INSERT … SELECT … ON CONFLICT DO NOTHING}, all in one transaction: memory stays flat whatever the number of rows
 * (one 64 KiB buffer), the database does the duplicate detection its unique key exists for, and any failure — in the input,
 * in COPY, or in the final insert — rolls back everything, temporary table included. Thread-safe.
 */
final class PgRecipients implements Recipients {

    private static final String COLUMNS = "campaign_id, address, fid, status, token_id, tx_hash, last_error";
    private static final int COPY_BUFFER = 64 * 1024;
    /** The longest row written: an ord of up to 19 digits, a bytea literal {@code \\x} + 40 digits, a fid, separators. */
    private static final int MAX_ROW = 20 + 43 + 21 + 3;

    private final Jdbi jdbi;

    PgRecipients(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public IngestResult addAll(CampaignId campaign, Iterator<NewRecipient> recipients) {
        Require.notNull("campaign", campaign);
        Require.notNull("recipients", recipients);
        return jdbi.inTransaction(h -> {
            // FOR KEY SHARE: the campaign cannot vanish under the upload, and a missing one is named before any row is sent.
            boolean exists = h.createQuery("SELECT true FROM campaigns WHERE id = :id FOR KEY SHARE")
                    .bind("id", campaign.value())
                    .mapTo(Boolean.class)
                    .findOne()
                    .isPresent();
            if (!exists) {
                throw new IllegalArgumentException("campaign " + campaign + " does not exist; no recipients were stored");
            }
            h.execute("CREATE TEMPORARY TABLE recipient_upload (ord bigint NOT NULL, address bytea NOT NULL, fid bigint)"
                    + " ON COMMIT DROP");
            long rows = copy(h, recipients);
            // Uploads to one campaign insert one after another: two inserting overlapping addresses in different orders
            // would otherwise wait on each other's rows and deadlock. Taken only now, after the stream, so a slow upload
            // does not hold up the campaign's status changes (FOR NO KEY UPDATE leaves foreign-key checks free).
            h.createQuery("SELECT true FROM campaigns WHERE id = :id FOR NO KEY UPDATE")
                    .bind("id", campaign.value())
                    .mapTo(Boolean.class)
                    .one();
            // The sort keeps upload order in seq (so pending() plans in that order) and makes the first of repeated
            // addresses the one kept. A temporary table's rows are already in ord order, so the sort is cheap.
            h.execute("SET LOCAL work_mem = '64MB'");
            int added = h.createUpdate("INSERT INTO recipients (campaign_id, address, fid, status)"
                            + " SELECT :campaign, address, fid, 'PENDING' FROM recipient_upload ORDER BY ord"
                            + " ON CONFLICT (campaign_id, address) DO NOTHING")
                    .bind("campaign", campaign.value())
                    .execute();
            return new IngestResult(added, rows - added);
        });
    }

    /** Streams the rows into {@code recipient_upload} in COPY's text format; returns how many were sent. */
    private static long copy(Handle handle, Iterator<NewRecipient> recipients) {
        CopyIn copy;
        try {
            copy = handle.getConnection().unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY recipient_upload (ord, address, fid) FROM STDIN");
        } catch (SQLException e) {
            throw new IllegalStateException("could not start COPY of recipients: " + e.getMessage(), e);
        }
        try {
            byte[] buffer = new byte[COPY_BUFFER];
            int used = 0;
            long ord = 0;
            while (recipients.hasNext()) {
                NewRecipient recipient = recipients.next();
                if (recipient == null) {
                    throw new IllegalArgumentException("recipient #" + (ord + 1) + " of the upload is null; nothing was stored");
                }
                if (used + MAX_ROW > buffer.length) {
                    copy.writeToCopy(buffer, 0, used);
                    used = 0;
                }
                used = row(buffer, used, ++ord, recipient);
            }
            if (used > 0) {
                copy.writeToCopy(buffer, 0, used);
            }
            copy.endCopy();
            return ord;
        } catch (SQLException e) {
            throw new IllegalStateException("COPY of recipients failed, nothing was stored: " + e.getMessage(), e);
        } finally {
            if (copy.isActive()) {
                try {
                    copy.cancelCopy();
                } catch (SQLException suppressed) {
                    // The transaction is rolled back next anyway; the first error is the one worth reporting.
                }
            }
        }
    }

    /** Writes {@code ord \t \\x<40 hex> \t fid|\N \n} at {@code at}; returns the new end. ASCII only, so bytes = chars. */
    private static int row(byte[] buffer, int at, long ord, NewRecipient recipient) {
        at = decimal(buffer, at, ord);
        buffer[at++] = '\t';
        buffer[at++] = '\\';
        buffer[at++] = '\\';
        buffer[at++] = 'x';
        String hex = recipient.address().lowerCase();
        for (int i = 2; i < 42; i++) {
            buffer[at++] = (byte) hex.charAt(i);
        }
        buffer[at++] = '\t';
        if (recipient.fid().isPresent()) {
            at = decimal(buffer, at, recipient.fid().get().value());
        } else {
            buffer[at++] = '\\';
            buffer[at++] = 'N';
        }
        buffer[at++] = '\n';
        return at;
    }

    private static int decimal(byte[] buffer, int at, long value) {
        String digits = Long.toString(value);
        for (int i = 0; i < digits.length(); i++) {
            buffer[at++] = (byte) digits.charAt(i);
        }
        return at;
    }

    @Override
    public List<Address> pending(CampaignId campaign, int limit) {
        Require.notNull("campaign", campaign);
        Require.positive("limit", limit);
        return jdbi.withHandle(h -> h.createQuery("SELECT address FROM recipients"
                        + " WHERE campaign_id = :campaign AND status = 'PENDING' ORDER BY seq LIMIT :limit")
                .bind("campaign", campaign.value())
                .bind("limit", limit)
                .map((rs, ctx) -> Codec.address(rs.getBytes(1)))
                .list());
    }

    @Override
    public Optional<Recipient> find(CampaignId campaign, Address address) {
        Require.notNull("campaign", campaign);
        Require.notNull("address", address);
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM recipients"
                        + " WHERE campaign_id = :campaign AND address = :address")
                .bind("campaign", campaign.value())
                .bind("address", Codec.bytes(address))
                .map(PgRecipients::recipient)
                .findOne());
    }

    @Override
    public List<Recipient> list(CampaignId campaign, Optional<RecipientStatus> status, Optional<Address> after, int limit) {
        Require.notNull("campaign", campaign);
        Require.notNull("status", status);
        Require.notNull("after", after);
        Require.positive("limit", limit);
        // Only the filters given, so each shape gets the plan for its index: the primary key (campaign_id, address)
        // without a status or for PENDING, the partial (campaign_id, status, address) for the others. The status is
        // written as a literal (an enum name, not user text) so the planner can prove the partial index applies.
        String sql = "SELECT " + COLUMNS + " FROM recipients WHERE campaign_id = :campaign"
                + status.map(s -> " AND status = '" + s.name() + "'").orElse("")
                + (after.isPresent() ? " AND address > :after" : "")
                + " ORDER BY address LIMIT :limit";
        return jdbi.withHandle(h -> {
            var query = h.createQuery(sql).bind("campaign", campaign.value()).bind("limit", limit);
            after.ifPresent(a -> query.bind("after", Codec.bytes(a)));
            return query.map(PgRecipients::recipient).list();
        });
    }

    @Override
    public Map<RecipientStatus, Long> countByStatus(CampaignId campaign) {
        Require.notNull("campaign", campaign);
        Map<RecipientStatus, Long> counts = new EnumMap<>(RecipientStatus.class);
        for (RecipientStatus s : RecipientStatus.values()) {
            counts.put(s, 0L);
        }
        jdbi.useHandle(h -> h.createQuery("SELECT status, count(*) FROM recipients WHERE campaign_id = :campaign"
                        + " GROUP BY status")
                .bind("campaign", campaign.value())
                .map((rs, ctx) -> Map.entry(RecipientStatus.valueOf(rs.getString(1)), rs.getLong(2)))
                .forEach(e -> counts.put(e.getKey(), e.getValue())));
        return counts;
    }

    static Recipient recipient(ResultSet rs, StatementContext ctx) throws SQLException {
        byte[] hash = rs.getBytes("tx_hash");
        return new Recipient(
                new CampaignId(rs.getObject("campaign_id", UUID.class)),
                Codec.address(rs.getBytes("address")),
                Codec.optionalLong(rs, "fid").map(Fid::new),
                RecipientStatus.valueOf(rs.getString("status")),
                Optional.ofNullable(Codec.bigInteger(rs.getBigDecimal("token_id"))).map(TokenId::new),
                Optional.ofNullable(hash).map(Codec::txHash),
                Optional.ofNullable(rs.getString("last_error")));
    }
}
