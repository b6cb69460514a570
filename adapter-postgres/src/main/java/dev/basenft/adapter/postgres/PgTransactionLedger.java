package dev.basenft.adapter.postgres;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.BatchId;
import dev.basenft.core.model.CampaignStatus;
import dev.basenft.core.model.Fees;
import dev.basenft.core.model.FillerTransaction;
import dev.basenft.core.model.Require;
import dev.basenft.core.model.SignedTransaction;
import dev.basenft.core.model.StoredTransaction;
import dev.basenft.core.port.out.CampaignHaltedException;
import dev.basenft.core.port.out.Claim;
import dev.basenft.core.port.out.LostClaimException;
import dev.basenft.core.port.out.TransactionLedger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongFunction;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * {@link TransactionLedger} on {@code minter_nonces}, {@code nonce_allocations}, {@code signed_transactions} and
 * {@code nonce_fillers}.
 *
 * <p>{@link #writeAheadWithin} is one database transaction: lock the batch row and check the lease, lock the wallet's
 * counter and count its in-flight batches against the cap, take the next nonce with
 * {@code UPDATE minter_nonces … RETURNING} (which also serialises every writer of the wallet on that row, so nonces are
 * handed out gapless and once), sign, store, and move the batch to SUBMITTED. An exception anywhere — a lost lease, the
 * signer, a refused row — rolls all of it back, the nonce counter included. Thread-safe.
 *
 * <p>Within this process, write-aheads for one wallet also wait their turn in memory, before they take a pooled connection:
 * the row lock lets one through at a time anyway, and each one queued on it in the database held a connection that the
 * claims, reads and receipt checks of the other batches were waiting for (seen at 400M-gas blocks with 96 batches
 * starting at once: most of a worker's waiting, in its first seconds, was for a connection).
 */
final class PgTransactionLedger implements TransactionLedger {

    private static final String TX_COLUMNS = "batch_id, batch_run, wallet, nonce, tx_hash, raw_tx, gas_limit,"
            + " max_fee_per_gas, max_priority_fee_per_gas, recorded_at";
    private static final String FILLER_COLUMNS = "wallet, nonce, tx_hash, raw_tx, gas_limit, max_fee_per_gas,"
            + " max_priority_fee_per_gas, reason, recorded_at";

    private final Jdbi jdbi;
    /** Each wallet's turn to write ahead in this process; fair, so batches sign in the order they came. */
    private final ConcurrentMap<Address, ReentrantLock> walletTurns = new ConcurrentHashMap<>();

    PgTransactionLedger(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public Optional<StoredTransaction> writeAheadWithin(Claim claim, Address wallet, int maxInFlight, long minedBelow,
            LongFunction<SignedTransaction> signer) {
        Require.notNull("claim", claim);
        Require.notNull("wallet", wallet);
        Require.notNull("signer", signer);
        Require.positive("maxInFlight", maxInFlight);
        ReentrantLock turn = walletTurns.computeIfAbsent(wallet, w -> new ReentrantLock(true));
        turn.lock();
        try {
            return writeAheadInTurn(claim, wallet, maxInFlight, minedBelow, signer);
        } finally {
            turn.unlock();
        }
    }

    private Optional<StoredTransaction> writeAheadInTurn(Claim claim, Address wallet, int maxInFlight, long minedBelow,
            LongFunction<SignedTransaction> signer) {
        return jdbi.inTransaction(h -> {
            int run = lockHeldBatch(h, claim);
            refuseIfHalted(h, claim);
            byte[] walletBytes = Codec.bytes(wallet);
            h.createUpdate("INSERT INTO minter_nonces (wallet, next_nonce) VALUES (:wallet, 0) ON CONFLICT DO NOTHING")
                    .bind("wallet", walletBytes)
                    .execute();
            // Lock the wallet's counter first, count after: every writer of the wallet queues on this row, and the count's
            // fresh snapshot sees each earlier holder's SUBMITTED batch, so two workers cannot both take the last slot.
            h.createQuery("SELECT next_nonce FROM minter_nonces WHERE wallet = :wallet FOR UPDATE")
                    .bind("wallet", walletBytes)
                    .mapTo(Long.class)
                    .one();
            int others = h.createQuery("SELECT count(*) FROM batches WHERE status = 'SUBMITTED' AND wallet = :wallet"
                            + " AND id <> :id AND nonce >= :minedBelow")
                    .bind("wallet", walletBytes)
                    .bind("minedBelow", minedBelow)
                    .bind("id", claim.batchId().value())
                    .mapTo(Integer.class)
                    .one();
            if (others >= maxInFlight) {
                return Optional.<StoredTransaction>empty();
            }
            long nonce = h.createQuery("UPDATE minter_nonces SET next_nonce = next_nonce + 1 WHERE wallet = :wallet"
                            + " RETURNING next_nonce - 1")
                    .bind("wallet", walletBytes)
                    .mapTo(Long.class)
                    .one();
            SignedTransaction tx = signer.apply(nonce);
            if (tx == null) {
                throw new IllegalStateException("the signer returned no transaction for nonce " + nonce);
            }
            if (tx.nonce() != nonce || !tx.from().equals(wallet)) {
                throw new IllegalStateException("the signer's transaction " + tx.hash() + " is from " + tx.from()
                        + " with nonce " + tx.nonce() + ", but nonce " + nonce + " of " + wallet + " was allocated");
            }
            h.createUpdate("INSERT INTO nonce_allocations (wallet, nonce, batch_id) VALUES (:wallet, :nonce, :batch)")
                    .bind("wallet", walletBytes)
                    .bind("nonce", nonce)
                    .bind("batch", claim.batchId().value())
                    .execute();
            StoredTransaction stored = insert(h, claim, run, tx);
            h.createUpdate("UPDATE batches SET status = 'SUBMITTED', wallet = :wallet, nonce = :nonce, updated_at = :now"
                            + " WHERE id = :id")
                    .bind("id", claim.batchId().value())
                    .bind("wallet", walletBytes)
                    .bind("nonce", nonce)
                    .bind("now", Codec.timestamp(claim.now()))
                    .execute();
            return Optional.of(stored);
        });
    }

    @Override
    public StoredTransaction recordReplacement(Claim claim, SignedTransaction replacement) {
        Require.notNull("claim", claim);
        Require.notNull("replacement", replacement);
        return jdbi.inTransaction(h -> {
            int run = lockHeldBatch(h, claim);
            StoredTransaction latest = h.createQuery("SELECT " + TX_COLUMNS + " FROM signed_transactions"
                            + " WHERE batch_id = :batch ORDER BY id DESC LIMIT 1")
                    .bind("batch", claim.batchId().value())
                    .map(PgTransactionLedger::stored)
                    .findOne()
                    .orElseThrow(() -> new IllegalStateException("batch " + claim.batchId()
                            + " has no stored transaction to replace"));
            SignedTransaction original = latest.transaction();
            if (replacement.nonce() != original.nonce() || !replacement.from().equals(original.from())) {
                throw new IllegalArgumentException("a replacement must keep the nonce and wallet of batch "
                        + claim.batchId() + "'s transaction (nonce " + original.nonce() + " of " + original.from()
                        + "), got nonce " + replacement.nonce() + " of " + replacement.from());
            }
            return insert(h, claim, run, replacement);
        });
    }

    /**
     * Locks the batch row for the rest of the transaction and returns its run, or throws when the claim no longer holds its
     * lease.
     */
    private static int lockHeldBatch(Handle h, Claim claim) {
        return h.createQuery("SELECT run FROM batches WHERE id = :id AND status IN ('PROCESSING', 'SUBMITTED')"
                        + " AND " + PgBatches.LEASE_HELD + " FOR UPDATE")
                .bind("id", claim.batchId().value())
                .bind("worker", claim.worker())
                .bind("until", Codec.timestamp(claim.until()))
                .mapTo(Integer.class)
                .findOne()
                .orElseThrow(() -> new LostClaimException(claim.batchId(), claim.worker()));
    }

    /**
     * A batch nothing is signed for yet (PROCESSING) is not signed while its campaign is paused or cancelled. The campaign
     * row is read FOR KEY SHARE, which conflicts with the FOR UPDATE that {@link PgCampaigns#updateStatus} takes before
     * halting a campaign (and with nothing else: an upload's FOR NO KEY UPDATE, the worker's other status changes). So a
     * pause or cancel waits for this transaction, or this read waits for it and sees its status: either the batch is
     * SUBMITTED before the campaign halts, or it is refused. The batch row is this transaction's (locked above), so its
     * status cannot change under the check.
     */
    private static void refuseIfHalted(Handle h, Claim claim) {
        // One round trip: this runs under the wallet's nonce lock, where every statement holds up every other signing.
        var statuses = h.createQuery("SELECT b.status AS batch_status, c.status AS campaign_status"
                        + " FROM batches b JOIN campaigns c ON c.id = b.campaign_id WHERE b.id = :id FOR KEY SHARE OF c")
                .bind("id", claim.batchId().value())
                .mapToMap()
                .one();
        if (!"PROCESSING".equals(statuses.get("batch_status"))) {
            return;
        }
        CampaignStatus status = CampaignStatus.valueOf((String) statuses.get("campaign_status"));
        if (status.isHalted()) {
            throw new CampaignHaltedException(claim.batchId(), status);
        }
    }

    private static StoredTransaction insert(Handle h, Claim claim, int run, SignedTransaction tx) {
        Instant recordedAt = Codec.micros(claim.now());
        try {
            h.createUpdate("INSERT INTO signed_transactions (" + TX_COLUMNS + ") VALUES (:batch, :run, :wallet, :nonce,"
                            + " :hash, :raw, :gasLimit, :maxFee, :priorityFee, :recordedAt)")
                    .bind("batch", claim.batchId().value())
                    .bind("run", run)
                    .bind("wallet", Codec.bytes(tx.from()))
                    .bind("nonce", tx.nonce())
                    .bind("hash", Codec.hexBytes(tx.hash().value()))
                    .bind("raw", Codec.hexBytes(tx.raw()))
                    .bind("gasLimit", tx.gasLimit())
                    .bind("maxFee", Codec.numeric(tx.fees().maxFeePerGas()))
                    .bind("priorityFee", Codec.numeric(tx.fees().maxPriorityFeePerGas()))
                    .bind("recordedAt", Codec.timestamp(recordedAt))
                    .execute();
        } catch (RuntimeException e) {
            if (SqlErrors.violates(e, SqlErrors.UNIQUE_VIOLATION, "signed_transactions_tx_hash_key")) {
                throw new IllegalArgumentException("transaction " + tx.hash() + " is already stored", e);
            }
            if (SqlErrors.violates(e, SqlErrors.FOREIGN_KEY_VIOLATION, "signed_transactions_nonce_owner_fkey")) {
                throw new IllegalArgumentException("nonce " + tx.nonce() + " of " + tx.from()
                        + " was not allocated to batch " + claim.batchId(), e);
            }
            throw e;
        }
        return new StoredTransaction(claim.batchId(), run, tx, recordedAt);
    }

    @Override
    public List<StoredTransaction> forBatch(BatchId batchId) {
        Require.notNull("batchId", batchId);
        return jdbi.withHandle(h -> h.createQuery("SELECT " + TX_COLUMNS + " FROM signed_transactions"
                        + " WHERE batch_id = :batch ORDER BY id")
                .bind("batch", batchId.value())
                .map(PgTransactionLedger::stored)
                .list());
    }

    @Override
    public Map<BatchId, List<StoredTransaction>> forBatches(Collection<BatchId> batchIds) {
        Require.notNull("batchIds", batchIds);
        Require.between("batchIds.size", batchIds.size(), 0, 10_000);
        if (batchIds.isEmpty()) {
            return Map.of();
        }
        UUID[] ids = batchIds.stream().map(id -> Require.notNull("batchId", id).value()).toArray(UUID[]::new);
        Map<BatchId, List<StoredTransaction>> found = new LinkedHashMap<>();
        // One statement for a listing's page; signed_transactions_by_batch serves each id.
        jdbi.useHandle(h -> h.createQuery("SELECT " + TX_COLUMNS + " FROM signed_transactions"
                        + " WHERE batch_id = ANY(:batches) ORDER BY batch_id, id")
                .bind("batches", ids)
                .map(PgTransactionLedger::stored)
                .forEach(tx -> found.computeIfAbsent(tx.batchId(), k -> new ArrayList<>()).add(tx)));
        found.replaceAll((id, txs) -> List.copyOf(txs));
        return found;
    }

    @Override
    public int inFlight(Address wallet) {
        Require.notNull("wallet", wallet);
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT count(*) FROM batches WHERE status = 'SUBMITTED' AND wallet = :wallet")
                .bind("wallet", Codec.bytes(wallet))
                .mapTo(Integer.class)
                .one());
    }

    @Override
    public long nextNonce(Address wallet) {
        Require.notNull("wallet", wallet);
        return jdbi.withHandle(h -> h.createQuery("SELECT next_nonce FROM minter_nonces WHERE wallet = :wallet")
                .bind("wallet", Codec.bytes(wallet))
                .mapTo(Long.class)
                .findOne()
                .orElse(0L));
    }

    @Override
    public void resyncNonce(Address wallet, long chainPendingNonce) {
        Require.notNull("wallet", wallet);
        if (chainPendingNonce < 0) {
            throw new IllegalArgumentException("chainPendingNonce must not be negative, got " + chainPendingNonce);
        }
        byte[] walletBytes = Codec.bytes(wallet);
        jdbi.useTransaction(h -> {
            h.createUpdate("INSERT INTO minter_nonces (wallet, next_nonce) VALUES (:wallet, 0) ON CONFLICT DO NOTHING")
                    .bind("wallet", walletBytes)
                    .execute();
            // Lock first, read after: once we hold the row, every writeAhead that allocated from it has committed, and
            // the next statement's fresh snapshot sees its nonce. One statement would compute the highest nonce from a
            // snapshot taken before the lock and could hand that nonce out again.
            h.createQuery("SELECT next_nonce FROM minter_nonces WHERE wallet = :wallet FOR UPDATE")
                    .bind("wallet", walletBytes)
                    .mapTo(Long.class)
                    .one();
            h.createUpdate("UPDATE minter_nonces SET next_nonce = greatest(:chain,"
                            + " (SELECT coalesce(max(nonce) + 1, 0) FROM nonce_allocations WHERE wallet = :wallet),"
                            + " (SELECT coalesce(max(nonce) + 1, 0) FROM nonce_fillers WHERE wallet = :wallet))"
                            + " WHERE wallet = :wallet")
                    .bind("wallet", walletBytes)
                    .bind("chain", chainPendingNonce)
                    .execute();
        });
    }

    @Override
    public List<StoredTransaction> transactionsFrom(Address wallet, long fromNonce) {
        return fromNonce(TX_COLUMNS, "signed_transactions", PgTransactionLedger::stored, wallet, fromNonce);
    }

    /** The rows of {@code table} for {@code wallet} from {@code fromNonce} up, in nonce order, then oldest first. */
    private <T> List<T> fromNonce(String columns, String table, RowMapper<T> mapper, Address wallet,
            long fromNonce) {
        Require.notNull("wallet", wallet);
        requireNotNegative("fromNonce", fromNonce);
        return jdbi.withHandle(h -> h.createQuery("SELECT " + columns + " FROM " + table
                        + " WHERE wallet = :wallet AND nonce >= :from ORDER BY nonce, id")
                .bind("wallet", Codec.bytes(wallet))
                .bind("from", fromNonce)
                .map(mapper)
                .list());
    }

    /**
     * Takes the wallet's counter row lock, so the check against the counter and the insert see the same counter a
     * concurrent resync or write-ahead leaves behind.
     */
    @Override
    public FillerTransaction recordFiller(FillerTransaction filler) {
        Require.notNull("filler", filler);
        byte[] walletBytes = Codec.bytes(filler.wallet());
        return jdbi.inTransaction(h -> {
            Optional<FillerTransaction> earlier = h.createQuery("SELECT " + FILLER_COLUMNS + " FROM nonce_fillers"
                            + " WHERE tx_hash = :hash")
                    .bind("hash", Codec.hexBytes(filler.hash().value()))
                    .map(PgTransactionLedger::filler)
                    .findOne();
            if (earlier.isPresent()) {
                return earlier.get();
            }
            long next = h.createQuery("SELECT next_nonce FROM minter_nonces WHERE wallet = :wallet FOR UPDATE")
                    .bind("wallet", walletBytes)
                    .mapTo(Long.class)
                    .findOne()
                    .orElse(0L);
            if (filler.nonce() >= next) {
                throw new IllegalArgumentException("nonce " + filler.nonce() + " of " + filler.wallet()
                        + " was never handed out (the next is " + next + "); only a used nonce is filled");
            }
            SignedTransaction tx = filler.transaction();
            Instant recordedAt = Codec.micros(filler.recordedAt());
            h.createUpdate("INSERT INTO nonce_fillers (" + FILLER_COLUMNS + ") VALUES (:wallet, :nonce, :hash, :raw,"
                            + " :gasLimit, :maxFee, :priorityFee, :reason, :recordedAt)")
                    .bind("wallet", walletBytes)
                    .bind("nonce", tx.nonce())
                    .bind("hash", Codec.hexBytes(tx.hash().value()))
                    .bind("raw", Codec.hexBytes(tx.raw()))
                    .bind("gasLimit", tx.gasLimit())
                    .bind("maxFee", Codec.numeric(tx.fees().maxFeePerGas()))
                    .bind("priorityFee", Codec.numeric(tx.fees().maxPriorityFeePerGas()))
                    .bind("reason", filler.reason())
                    .bind("recordedAt", Codec.timestamp(recordedAt))
                    .execute();
            return new FillerTransaction(tx, filler.reason(), recordedAt);
        });
    }

    @Override
    public List<FillerTransaction> fillersFrom(Address wallet, long fromNonce) {
        return fromNonce(FILLER_COLUMNS, "nonce_fillers", PgTransactionLedger::filler, wallet, fromNonce);
    }

    private static void requireNotNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative, got " + value);
        }
    }

    static FillerTransaction filler(ResultSet rs, StatementContext ctx) throws SQLException {
        SignedTransaction tx = new SignedTransaction(
                Codec.txHash(rs.getBytes("tx_hash")),
                Codec.hex(rs.getBytes("raw_tx")),
                Codec.address(rs.getBytes("wallet")),
                rs.getLong("nonce"),
                rs.getLong("gas_limit"),
                new Fees(Codec.wei(rs.getBigDecimal("max_fee_per_gas")),
                        Codec.wei(rs.getBigDecimal("max_priority_fee_per_gas"))));
        return new FillerTransaction(tx, rs.getString("reason"), Codec.instant(rs, "recorded_at"));
    }

    static StoredTransaction stored(ResultSet rs, StatementContext ctx) throws SQLException {
        SignedTransaction tx = new SignedTransaction(
                Codec.txHash(rs.getBytes("tx_hash")),
                Codec.hex(rs.getBytes("raw_tx")),
                Codec.address(rs.getBytes("wallet")),
                rs.getLong("nonce"),
                rs.getLong("gas_limit"),
                new Fees(Codec.wei(rs.getBigDecimal("max_fee_per_gas")),
                        Codec.wei(rs.getBigDecimal("max_priority_fee_per_gas"))));
        return new StoredTransaction(new BatchId(rs.getObject("batch_id", UUID.class)), rs.getInt("batch_run"), tx,
                Codec.instant(rs, "recorded_at"));
    }
}
