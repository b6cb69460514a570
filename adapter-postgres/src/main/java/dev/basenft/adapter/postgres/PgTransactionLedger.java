package dev.basenft.adapter.postgres;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.BatchId;
import dev.basenft.core.model.Fees;
import dev.basenft.core.model.FillerTransaction;
import dev.basenft.core.model.Require;
import dev.basenft.core.model.SignedTransaction;
import dev.basenft.core.model.StoredTransaction;
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
import java.util.function.LongFunction;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * {@link TransactionLedger} on {@code minter_nonces}, {@code nonce_allocations}, {@code signed_transactions} and
 * {@code nonce_fillers}.
 *
 * <p>{@link #writeAheadWithin} is one database transaction: lock the batch row and check the lease and the campaign, lock the
 * wallet's counter and count its in-flight batches against the cap, take the next nonce (the counter's row lock
 * serialises every writer of the wallet, so nonces are handed out gapless and once), sign, store, and move the batch to
 * SUBMITTED. A failure rolls all of it back, the nonce counter included. The write-aheads of one wallet that wait at the
 * same moment in this process share that transaction, each with its own outcome ({@link WriteAheadGroups}).
 * Thread-safe.
 */
final class PgTransactionLedger implements TransactionLedger {

    private static final String TX_COLUMNS = "batch_id, batch_run, wallet, nonce, tx_hash, raw_tx, gas_limit,"
            + " max_fee_per_gas, max_priority_fee_per_gas, recorded_at";
    private static final String FILLER_COLUMNS = "wallet, nonce, tx_hash, raw_tx, gas_limit, max_fee_per_gas,"
            + " max_priority_fee_per_gas, reason, recorded_at";

    private final Jdbi jdbi;
    private final WriteAheadGroups writeAheads;

    /**
     * @param jdbi for everything but the write-aheads
     * @param writeAheadJdbi for the write-aheads: connections of their own, or {@code jdbi} (see PostgresStorage.Builder)
     */
    PgTransactionLedger(Jdbi jdbi, Jdbi writeAheadJdbi) {
        this.jdbi = jdbi;
        this.writeAheads = new WriteAheadGroups(writeAheadJdbi);
    }

    @Override
    public Optional<StoredTransaction> writeAheadWithin(Claim claim, Address wallet, int maxInFlight, long minedBelow,
            LongFunction<SignedTransaction> signer) {
        Require.notNull("claim", claim);
        Require.notNull("wallet", wallet);
        Require.notNull("signer", signer);
        Require.positive("maxInFlight", maxInFlight);
        return writeAheads.writeAhead(claim, wallet, maxInFlight, minedBelow, signer);
    }

    /** The signer's transaction for {@code nonce} of {@code wallet}, or why it is not. */
    static SignedTransaction checkedSignature(SignedTransaction tx, Address wallet, long nonce) {
        if (tx == null) {
            throw new IllegalStateException("the signer returned no transaction for nonce " + nonce);
        }
        if (tx.nonce() != nonce || !tx.from().equals(wallet)) {
            throw new IllegalStateException("the signer's transaction " + tx.hash() + " is from " + tx.from()
                    + " with nonce " + tx.nonce() + ", but nonce " + nonce + " of " + wallet + " was allocated");
        }
        return tx;
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

    static final String INSERT_TRANSACTION = "INSERT INTO signed_transactions (" + TX_COLUMNS + ") VALUES (:batch, :run,"
            + " :wallet, :nonce, :hash, :raw, :gasLimit, :maxFee, :priorityFee, :recordedAt)";

    /** Binds {@link #INSERT_TRANSACTION}'s parameters: {@code tx}, stored for the claimed batch's {@code run}. */
    static <S extends SqlStatement<S>> S bindTransaction(S insert, Claim claim, int run, SignedTransaction tx,
            Instant recordedAt) {
        return bindSigned(insert, tx)
                .bind("batch", claim.batchId().value())
                .bind("run", run)
                .bind("recordedAt", Codec.timestamp(recordedAt));
    }

    /** Binds what a stored transaction and a stored filler share: {@code tx}'s sender, nonce, hash, bytes, gas and fees. */
    private static <S extends SqlStatement<S>> S bindSigned(S statement, SignedTransaction tx) {
        return statement.bind("wallet", Codec.bytes(tx.from()))
                .bind("nonce", tx.nonce())
                .bind("hash", Codec.hexBytes(tx.hash().value()))
                .bind("raw", Codec.hexBytes(tx.raw()))
                .bind("gasLimit", tx.gasLimit())
                .bind("maxFee", Codec.numeric(tx.fees().maxFeePerGas()))
                .bind("priorityFee", Codec.numeric(tx.fees().maxPriorityFeePerGas()));
    }

    private static StoredTransaction insert(Handle h, Claim claim, int run, SignedTransaction tx) {
        Instant recordedAt = Codec.micros(claim.now());
        try {
            bindTransaction(h.createUpdate(INSERT_TRANSACTION), claim, run, tx, recordedAt).execute();
        } catch (RuntimeException e) {
            throw refusedRow(e, claim, tx);
        }
        return new StoredTransaction(claim.batchId(), run, tx, recordedAt);
    }

    /**
     * What a failed write of {@code tx} for the claimed batch means: a transaction stored already or a nonce that is not
     * the batch's, by name; {@code failure} itself otherwise (also when {@code tx} is null: nothing was signed).
     */
    static RuntimeException refusedRow(RuntimeException failure, Claim claim, SignedTransaction tx) {
        if (tx != null && SqlErrors.violates(failure, SqlErrors.UNIQUE_VIOLATION, "signed_transactions_tx_hash_key")) {
            return new IllegalArgumentException("transaction " + tx.hash() + " is already stored", failure);
        }
        if (tx != null && SqlErrors.violates(failure, SqlErrors.FOREIGN_KEY_VIOLATION,
                "signed_transactions_nonce_owner_fkey")) {
            return new IllegalArgumentException("nonce " + tx.nonce() + " of " + tx.from()
                    + " was not allocated to batch " + claim.batchId(), failure);
        }
        return failure;
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
            bindSigned(h.createUpdate("INSERT INTO nonce_fillers (" + FILLER_COLUMNS + ") VALUES (:wallet, :nonce,"
                            + " :hash, :raw, :gasLimit, :maxFee, :priorityFee, :reason, :recordedAt)"), tx)
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
