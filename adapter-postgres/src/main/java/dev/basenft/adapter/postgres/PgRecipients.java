package dev.basenft.adapter.postgres;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.ExportedRecipient;
import dev.basenft.core.model.Fid;
import dev.basenft.core.model.IngestResult;
import dev.basenft.core.model.NewRecipient;
import dev.basenft.core.model.Recipient;
import dev.basenft.core.model.RecipientStatus;
import dev.basenft.core.model.Require;
import dev.basenft.core.model.TokenId;
import dev.basenft.core.port.out.Recipients;
import java.nio.ByteBuffer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
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
 * (one reused 64 KiB buffer, rows written into it in COPY's binary format without a string or object per row), the
 * database does the duplicate detection its unique key exists for, and any failure — in the input,
 * in COPY, or in the final insert — rolls back everything, temporary table included. Thread-safe.
 */
final class PgRecipients implements Recipients {

    /**
     * A row's status as the port reports it (V11): a PENDING row at or below its campaign's {@code planned_through} is in
     * a batch, so PROCESSING; a RETURNED one (its batch was cancelled) is PENDING. Needs {@code recipients r} joined to
     * {@code campaigns c}.
     */
    static final String STATUS_OF_ROW = "CASE WHEN r.status = 'RETURNED' THEN 'PENDING'"
            + " WHEN r.status = 'PENDING' AND r.seq <= c.planned_through THEN 'PROCESSING' ELSE r.status END";
    /** The unplanned rows (V11); needs {@code r} and {@code c} as {@link #STATUS_OF_ROW}. */
    static final String UNPLANNED = "(r.status = 'RETURNED' OR (r.status = 'PENDING' AND r.seq > c.planned_through))";
    /** The columns {@link #recipient} reads, from {@code recipients r} joined to {@code campaigns c}. */
    private static final String COLUMNS = "r.campaign_id, r.address, r.fid, " + STATUS_OF_ROW + " AS status, r.token_id,"
            + " r.tx_hash, r.last_error";
    /** {@code recipients r} with its campaign, whose {@code planned_through} says which PENDING rows are planned. */
    private static final String FROM = " FROM recipients r JOIN campaigns c ON c.id = r.campaign_id";
    private static final int COPY_BUFFER = 64 * 1024;
    /** Rows per round trip of {@link #export}'s cursor: about 150 kB of rows held at a time. */
    static final int EXPORT_FETCH = 1_000;
    /**
     * Binary COPY's header: the 11-byte signature {@code PGCOPY\n\377\r\n\0}, a 32-bit flags field (0: no OIDs) and a
     * 32-bit header-extension length (0).
     */
    private static final byte[] BINARY_HEADER = {
        'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0
    };
    /** The longest tuple: a 2-byte field count, then length-prefixed fields of 8 (ord), 20 (address) and 8 (fid) bytes. */
    private static final int MAX_ROW = 2 + (4 + 8) + (4 + 20) + (4 + 8);

    private final Jdbi jdbi;

    PgRecipients(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Rows an upload adds before the table's statistics are refreshed at once (see {@link #addAll}). */
    static final long ANALYZE_AFTER = 10_000;

    @Override
    public IngestResult addAll(CampaignId campaign, Iterator<NewRecipient> recipients) {
        Require.notNull("campaign", campaign);
        Require.notNull("recipients", recipients);
        IngestResult result = jdbi.inTransaction(h -> {
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
        if (result.added() >= ANALYZE_AFTER) {
            // Fresh statistics before the distribution plans these rows. Until autovacuum gets to it, the planner takes
            // the table for as small as before the upload, and planning's UPDATE … address = ANY (…) then reads every
            // PENDING row of the campaign through recipients_pending for each batch instead of 200 through the primary
            // key: quadratic, minutes at 100,000 recipients (seen with bin/bench --scale). ANALYZE samples a fixed
            // number of rows, a fraction of a second whatever the table's size.
            jdbi.useHandle(h -> h.execute("ANALYZE recipients"));
        }
        return result;
    }

    /**
     * Streams the rows into {@code recipient_upload} in COPY's binary format; returns how many were sent.
     *
     * <p>Each row is encoded straight into one reused buffer: the ord and fid as 8-byte integers, the address as its 20
     * raw bytes read off the checksummed hex. Nothing is allocated per row here, and the server parses no text.
     */
    private static long copy(Handle handle, Iterator<NewRecipient> recipients) {
        CopyIn copy;
        try {
            copy = handle.getConnection().unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY recipient_upload (ord, address, fid) FROM STDIN (FORMAT binary)");
        } catch (SQLException e) {
            throw new IllegalStateException("could not start COPY of recipients: " + e.getMessage(), e);
        }
        try {
            ByteBuffer buffer = ByteBuffer.allocate(COPY_BUFFER); // big-endian, as COPY's binary format is
            buffer.put(BINARY_HEADER);
            long ord = 0;
            while (recipients.hasNext()) {
                NewRecipient recipient = recipients.next();
                if (recipient == null) {
                    throw new IllegalArgumentException("recipient #" + (ord + 1) + " of the upload is null; nothing was stored");
                }
                if (buffer.remaining() < MAX_ROW + 2) { // room for the longest row, and for the 2-byte trailer after it
                    copy.writeToCopy(buffer.array(), 0, buffer.position());
                    buffer.clear();
                }
                row(buffer, ++ord, recipient);
            }
            buffer.putShort((short) -1); // the trailer: a field count of -1
            copy.writeToCopy(buffer.array(), 0, buffer.position());
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

    /**
     * Appends one binary COPY tuple: the field count 3, then each field as its byte length and bytes ({@code -1} for
     * NULL): {@code ord} bigint, {@code address} bytea, {@code fid} bigint.
     */
    private static void row(ByteBuffer buffer, long ord, NewRecipient recipient) {
        buffer.putShort((short) 3);
        buffer.putInt(8).putLong(ord);
        buffer.putInt(20);
        String hex = recipient.address().value(); // 0x and 40 ASCII hex digits, guaranteed by Address
        for (int i = 2; i < 42; i += 2) {
            buffer.put((byte) (nibble(hex.charAt(i)) << 4 | nibble(hex.charAt(i + 1))));
        }
        Optional<Fid> fid = recipient.fid();
        if (fid.isPresent()) {
            buffer.putInt(8).putLong(fid.get().value());
        } else {
            buffer.putInt(-1);
        }
    }

    /** The value of an ASCII hex digit of either case; the caller guarantees it is one. */
    private static int nibble(char hexDigit) {
        return hexDigit <= '9' ? hexDigit - '0' : (hexDigit | 0x20) - ('a' - 10);
    }

    @Override
    public List<Address> pending(CampaignId campaign, int limit) {
        Require.notNull("campaign", campaign);
        Require.positive("limit", limit);
        // Two ordered reads merged: the PENDING rows from planned_through on (the range scan of recipients_pending starts
        // past the planned rows, still PENDING until their batches settle, instead of stepping over them), and the
        // RETURNED ones, few, through recipients_status_keyset.
        return jdbi.withHandle(h -> h.createQuery("SELECT address FROM ("
                        + "(SELECT address, seq FROM recipients WHERE campaign_id = :campaign AND status = 'PENDING'"
                        + " AND seq > (SELECT planned_through FROM campaigns WHERE id = :campaign) ORDER BY seq LIMIT :limit)"
                        + " UNION ALL (SELECT address, seq FROM recipients WHERE campaign_id = :campaign"
                        + " AND status = 'RETURNED' ORDER BY seq LIMIT :limit)) unplanned ORDER BY seq LIMIT :limit")
                .bind("campaign", campaign.value())
                .bind("limit", limit)
                .map((rs, ctx) -> Codec.address(rs.getBytes(1)))
                .list());
    }

    @Override
    public Optional<Recipient> find(CampaignId campaign, Address address) {
        Require.notNull("campaign", campaign);
        Require.notNull("address", address);
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + FROM
                        + " WHERE r.campaign_id = :campaign AND r.address = :address")
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
        String sql = "SELECT " + COLUMNS + FROM + " WHERE r.campaign_id = :campaign"
                + status.map(s -> " AND " + hasStatus(s)).orElse("")
                + (after.isPresent() ? " AND r.address > :after" : "")
                + " ORDER BY r.address LIMIT :limit";
        return jdbi.withHandle(h -> {
            var query = h.createQuery(sql).bind("campaign", campaign.value()).bind("limit", limit);
            after.ifPresent(a -> query.bind("after", Codec.bytes(a)));
            return query.map(PgRecipients::recipient).list();
        });
    }

    /** The condition on {@code recipients r} joined to {@code campaigns c} for the rows the port reports as {@code status}. */
    private static String hasStatus(RecipientStatus status) {
        return switch (status) {
            case PENDING -> UNPLANNED;
            case PROCESSING -> PgBatches.PLANNED;
            default -> "r.status = '" + status.name() + "'";
        };
    }

    @Override
    public void export(CampaignId campaign, Consumer<ExportedRecipient> sink) {
        Require.notNull("campaign", campaign);
        Require.notNull("sink", sink);
        // One statement, so one snapshot: a batch completing meanwhile is seen wholly or not at all. Read through a
        // server-side cursor (a fetch size inside a transaction; with autocommit on, the driver would read every row into
        // memory first), EXPORT_FETCH rows at a time, so a million-row campaign costs the JVM one fetch of memory.
        // Each recipient's batch comes from unnesting the campaign's batch arrays once, hashed against the recipients.
        String sql = "SELECT " + COLUMNS + ", b.batch_index" + FROM
                + " LEFT JOIN (SELECT b.batch_index, u.address FROM batches b CROSS JOIN LATERAL unnest(b.recipients)"
                // A cancelled batch's recipients were planned again (or wait to be): it is no longer theirs.
                + " AS u(address) WHERE b.campaign_id = :campaign AND b.status <> 'CANCELLED') b ON b.address = r.address"
                + " WHERE r.campaign_id = :campaign ORDER BY r.seq";
        jdbi.useTransaction(h -> {
            try (var rows = h.createQuery(sql)
                    .bind("campaign", campaign.value())
                    .setFetchSize(EXPORT_FETCH)
                    .map((rs, ctx) -> new ExportedRecipient(recipient(rs, ctx),
                            Optional.ofNullable((Integer) rs.getObject("batch_index"))))
                    .stream()) {
                rows.forEach(sink);
            }
        });
    }

    @Override
    public Removal remove(CampaignId campaign, List<Address> addresses) {
        Require.notNull("campaign", campaign);
        Require.notNull("addresses", addresses);
        Require.atLeast("addresses.size", addresses.size(), 1);
        List<Address> distinct = addresses.stream().map(a -> Require.notNull("address", a)).distinct().toList();
        return jdbi.inTransaction(h -> {
            // The campaign row first, as planning takes it before it moves planned_through or claims rows (V11): a
            // removal and a planning of the same rows queue instead of deadlocking, and whichever comes second sees the
            // other's result (planned, or gone). A campaign that does not exist has no recipients: all are absent.
            h.createQuery("SELECT true FROM campaigns WHERE id = :campaign FOR NO KEY UPDATE")
                    .bind("campaign", campaign.value())
                    .mapTo(Boolean.class)
                    .findOne();
            Map<Address, RecipientStatus> found = new LinkedHashMap<>();
            h.createQuery("SELECT r.address, " + STATUS_OF_ROW + " AS status" + FROM + " WHERE r.campaign_id = :campaign"
                            + " AND r.address = ANY (:addresses) ORDER BY r.address FOR UPDATE OF r")
                    .bind("campaign", campaign.value())
                    .bind("addresses", Codec.byteaArray(distinct.stream().sorted().toList()))
                    .map((rs, ctx) -> Map.entry(Codec.address(rs.getBytes("address")),
                            RecipientStatus.valueOf(rs.getString("status"))))
                    .forEach(e -> found.put(e.getKey(), e.getValue()));
            Map<Address, RecipientStatus> planned = new LinkedHashMap<>();
            List<Address> absent = new ArrayList<>();
            List<Address> removable = new ArrayList<>();
            for (Address address : distinct) {
                RecipientStatus status = found.get(address);
                if (status == null) {
                    absent.add(address);
                } else if (status != RecipientStatus.PENDING) {
                    planned.put(address, status);
                } else {
                    removable.add(address);
                }
            }
            if (!planned.isEmpty()) {
                return new Removal.Refused(planned);
            }
            int removed = removable.isEmpty() ? 0 : h.createUpdate("DELETE FROM recipients r USING campaigns c"
                            + " WHERE c.id = r.campaign_id AND r.campaign_id = :campaign AND r.address = ANY (:addresses)"
                            + " AND " + UNPLANNED)
                    .bind("campaign", campaign.value())
                    .bind("addresses", Codec.byteaArray(removable))
                    .execute();
            return new Removal.Removed(removed, absent);
        });
    }

    @Override
    public Map<RecipientStatus, Long> countByStatus(CampaignId campaign) {
        Require.notNull("campaign", campaign);
        Map<RecipientStatus, Long> counts = new EnumMap<>(RecipientStatus.class);
        for (RecipientStatus s : RecipientStatus.values()) {
            counts.put(s, 0L);
        }
        jdbi.useHandle(h -> h.createQuery("SELECT " + STATUS_OF_ROW + ", count(*)" + FROM
                        + " WHERE r.campaign_id = :campaign GROUP BY 1")
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
