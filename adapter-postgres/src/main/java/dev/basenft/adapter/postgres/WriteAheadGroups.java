package dev.basenft.adapter.postgres;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.CampaignStatus;
import dev.basenft.core.model.SignedTransaction;
import dev.basenft.core.model.StoredTransaction;
import dev.basenft.core.port.out.CampaignHaltedException;
import dev.basenft.core.port.out.Claim;
import dev.basenft.core.port.out.LostClaimException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongFunction;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The write-aheads of this process, a wallet at a time: each one waits its turn in memory, and the thread whose turn it is
 * writes ahead every write-ahead of its wallet waiting at that moment (up to {@link #MOST_AT_ONCE}), in one database
 * transaction: the batch rows locked by one statement, the wallet's counter locked once, a run of consecutive nonces,
 * the rows written by one batch of statements each, one commit.
 *
 * <p>Why: the counter's row lock lets one write-ahead of the wallet through at a time, across all processes. Taken once
 * per batch, two worker processes on one wallet took it in strict turns at the start of a drop, one signing about every
 * 57 ms on a busy 2-core machine against 20–30 ms for one process alone (docs/benchmarks.md, stop 27): every turn paid
 * for a wake-up, the round trips and a commit. Taken once per group, a process pays that once for all the batches it has
 * ready. Waiting in memory first also keeps the write-aheads that queue behind the lock off the connection pool, which the
 * claims, reads and receipt checks of the other batches need.
 *
 * <p>Each write-ahead keeps its own outcome, as if it had run alone: a lost lease, a halted campaign, a full in-flight
 * cap or a failing signer answers that one and leaves the others of its group to be written. Only a failure of the
 * transaction itself (a refused row, a lost connection) touches the group: everything is rolled back, and each of its
 * write-aheads is then tried again alone, so only the one at fault fails. A signer may so be called twice, with the same
 * or another nonce; only the transaction stored counts ({@link dev.basenft.core.port.out.TransactionLedger#writeAheadWithin}).
 *
 * <p>Thread-safe. Outcomes are only handed out after the commit, and every write-ahead of a group gets one, whatever
 * happens to the thread that wrote the group: an {@link Error} (a signer's assertion, a JVM out of memory) rolls the
 * group back and is the answer of each write-ahead in it.
 */
final class WriteAheadGroups {

    /**
     * At most this many write-aheads in one transaction. It holds the batches' row locks and the wallet's counter while it
     * signs each, a few milliseconds apiece; the write-aheads that wait beyond it form the next group.
     */
    static final int MOST_AT_ONCE = 32;

    private final Jdbi jdbi;
    private final ConcurrentMap<Address, WalletTurns> wallets = new ConcurrentHashMap<>();

    WriteAheadGroups(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** {@link dev.basenft.core.port.out.TransactionLedger#writeAheadWithin}, its arguments checked by the caller. */
    Optional<StoredTransaction> writeAhead(Claim claim, Address wallet, int maxInFlight, long minedBelow,
            LongFunction<SignedTransaction> signer) {
        Request request = new Request(claim, maxInFlight, minedBelow, signer);
        WalletTurns turns = wallets.computeIfAbsent(wallet, w -> new WalletTurns());
        turns.waiting.add(request);
        turns.turn.lock();
        try {
            // Another thread's group may have taken this one already; then its answer is here (the lock hands it over).
            while (!request.answered()) {
                List<Request> group = turns.nextGroup();
                if (group.isEmpty()) {
                    // Not waiting, not answered: cannot happen (write answers all it takes); never spin on it.
                    throw new IllegalStateException("batch " + claim.batchId() + "'s write-ahead was lost");
                }
                write(wallet, group);
            }
        } finally {
            turns.turn.unlock();
        }
        return request.answer();
    }

    /** One wallet's turn (fair, so write-aheads are written in the order they came) and the write-aheads waiting for it. */
    private static final class WalletTurns {
        final ReentrantLock turn = new ReentrantLock(true);
        final Queue<Request> waiting = new ConcurrentLinkedQueue<>();

        /**
         * The write-aheads waiting now, oldest first, up to {@link #MOST_AT_ONCE}; never two for one batch (the second
         * waits for the next group, so it sees what the first did). Only the thread holding the turn takes from the queue.
         */
        List<Request> nextGroup() {
            List<Request> group = new ArrayList<>();
            Set<UUID> batches = new HashSet<>();
            for (Request next = waiting.peek(); next != null && group.size() < MOST_AT_ONCE; next = waiting.peek()) {
                if (!batches.add(next.claim.batchId().value())) {
                    break;
                }
                group.add(waiting.poll());
            }
            return group;
        }
    }

    /** Writes a group ahead and answers each of its write-aheads; a failed transaction is tried again one at a time. */
    private void write(Address wallet, List<Request> group) {
        Throwable fatal = null;
        try {
            jdbi.useTransaction(h -> writeGroup(h, wallet, group));
            group.forEach(Request::publish);
        } catch (RuntimeException e) {
            if (group.size() == 1) {
                group.getFirst().fail(PgTransactionLedger.refusedRow(e, group.getFirst().claim,
                        group.getFirst().signed));
            } else {
                for (Request request : group) {
                    write(wallet, List.of(request));
                }
            }
        } catch (Error e) {
            fatal = e;
            throw e;
        } finally {
            // Taken from the queue, a write-ahead is answered here or never: its thread waits for nothing else.
            for (Request request : group) {
                if (!request.answered()) {
                    request.fail(fatal != null ? fatal : new IllegalStateException("batch " + request.claim.batchId()
                            + " was not written ahead: the thread writing its group failed"));
                }
            }
        }
    }

    /**
     * The group's transaction. Lock order as for every writer of a batch and the wallet: the batch rows, the campaigns
     * (key share), then the wallet's counter.
     */
    private static void writeGroup(Handle h, Address wallet, List<Request> group) {
        group.forEach(Request::reset);
        Map<UUID, LockedBatch> held = lockHeldBatches(h, group);
        byte[] walletBytes = Codec.bytes(wallet);
        h.createUpdate("INSERT INTO minter_nonces (wallet, next_nonce) VALUES (:wallet, 0) ON CONFLICT DO NOTHING")
                .bind("wallet", walletBytes)
                .execute();
        // Lock the wallet's counter first, read the in-flight batches after: every writer of the wallet queues on this
        // row, and the next statement's fresh snapshot sees each earlier holder's SUBMITTED batches, so two processes
        // cannot both take the last slot.
        long next = h.createQuery("SELECT next_nonce FROM minter_nonces WHERE wallet = :wallet FOR UPDATE")
                .bind("wallet", walletBytes)
                .mapTo(Long.class)
                .one();
        long lowestMinedBelow = group.stream().mapToLong(r -> r.minedBelow).min().orElseThrow();
        List<InFlight> inFlight = h.createQuery("SELECT id, nonce FROM batches WHERE status = 'SUBMITTED'"
                        + " AND wallet = :wallet AND nonce >= :minedBelow")
                .bind("wallet", walletBytes)
                .bind("minedBelow", lowestMinedBelow)
                .map((rs, ctx) -> new InFlight(rs.getObject("id", UUID.class), rs.getLong("nonce")))
                .list();

        List<Request> signed = new ArrayList<>();
        for (Request request : group) {
            UUID id = request.claim.batchId().value();
            LockedBatch batch = held.get(id);
            if (batch == null) {
                request.refuse(new LostClaimException(request.claim.batchId(), request.claim.worker()));
            } else if (batch.processing() && batch.campaign().isHalted()) {
                // Nothing signed for it yet and its campaign halted: refused, under the campaign's key-share lock (see
                // PgTransactionLedger).
                request.refuse(new CampaignHaltedException(request.claim.batchId(), batch.campaign()));
            } else if (othersInFlight(inFlight, signed, request) >= request.maxInFlight) {
                request.stage(Optional.empty());
            } else {
                long nonce = next + signed.size();
                try {
                    request.signed = PgTransactionLedger.checkedSignature(request.signer.apply(nonce), wallet, nonce);
                } catch (RuntimeException e) {
                    request.refuse(e);
                    continue;
                }
                request.run = batch.run();
                signed.add(request);
            }
        }
        if (signed.isEmpty()) {
            return;
        }
        PreparedBatch allocations = h.prepareBatch("INSERT INTO nonce_allocations (wallet, nonce, batch_id)"
                + " VALUES (:wallet, :nonce, :batch)");
        PreparedBatch transactions = h.prepareBatch(PgTransactionLedger.INSERT_TRANSACTION);
        PreparedBatch submitted = h.prepareBatch("UPDATE batches SET status = 'SUBMITTED', wallet = :wallet,"
                + " nonce = :nonce, updated_at = :now WHERE id = :id");
        for (Request request : signed) {
            Instant recordedAt = Codec.micros(request.claim.now());
            allocations.bind("wallet", walletBytes)
                    .bind("nonce", request.signed.nonce())
                    .bind("batch", request.claim.batchId().value())
                    .add();
            PgTransactionLedger.bindTransaction(transactions, request.claim, request.run, request.signed, recordedAt)
                    .add();
            submitted.bind("id", request.claim.batchId().value())
                    .bind("wallet", walletBytes)
                    .bind("nonce", request.signed.nonce())
                    .bind("now", Codec.timestamp(request.claim.now()))
                    .add();
            request.stage(Optional.of(new StoredTransaction(request.claim.batchId(), request.run, request.signed,
                    recordedAt)));
        }
        allocations.execute();
        transactions.execute();
        submitted.execute();
        h.createUpdate("UPDATE minter_nonces SET next_nonce = :next WHERE wallet = :wallet")
                .bind("wallet", walletBytes)
                .bind("next", next + signed.size())
                .execute();
    }

    /**
     * Locks the rows of the group's batches and reads each one's lease, run and whether its campaign is halted, in one
     * statement; a batch missing from the answer, or whose lease is no longer the claim's, lost its lease.
     *
     * <p>The statement's text is the same for every group: the lease is compared here, not by a row-value list in the
     * SQL, whose text would differ with each group size. Each new text is parsed by Jdbi under a lock its other statements
     * wait for, and a process meets the sizes one by one just as its first distribution starts.
     */
    private static Map<UUID, LockedBatch> lockHeldBatches(Handle h, List<Request> group) {
        // FOR KEY SHARE of the campaign conflicts only with the FOR UPDATE a pause or cancel takes (PgCampaigns): either
        // the batch is SUBMITTED before the campaign halts, or this read sees it halted.
        Map<UUID, LockedBatch> locked = new HashMap<>();
        h.createQuery("SELECT b.id, b.run, b.status AS batch_status, b.lease_owner, b.lease_until,"
                        + " c.status AS campaign_status"
                        + " FROM batches b JOIN campaigns c ON c.id = b.campaign_id"
                        + " WHERE b.id = ANY(:ids) AND b.status IN ('PROCESSING', 'SUBMITTED')"
                        + " ORDER BY b.id FOR UPDATE OF b FOR KEY SHARE OF c")
                .bind("ids", group.stream().map(r -> r.claim.batchId().value()).toArray(UUID[]::new))
                .map((rs, ctx) -> new LockedBatch(rs.getObject("id", UUID.class), rs.getInt("run"),
                        "PROCESSING".equals(rs.getString("batch_status")),
                        CampaignStatus.valueOf(rs.getString("campaign_status")), rs.getString("lease_owner"),
                        Codec.instant(rs, "lease_until")))
                .forEach(row -> locked.put(row.id(), row));
        Map<UUID, LockedBatch> held = new HashMap<>();
        for (Request request : group) {
            LockedBatch row = locked.get(request.claim.batchId().value());
            if (row != null && row.leaseHeldBy(request.claim)) {
                held.put(row.id(), row);
            }
        }
        return held;
    }

    /**
     * The wallet's unmined transactions other than this batch's, as the request counts them: SUBMITTED batches at or
     * above its {@code minedBelow}, and those this group signed before it. A SUBMITTED batch signed again earlier in the
     * group counts once, by its new nonce, as it would once its row held that nonce.
     */
    private static long othersInFlight(List<InFlight> inFlight, List<Request> signedBefore, Request request) {
        Set<UUID> signedAgain = new HashSet<>();
        signedBefore.forEach(r -> signedAgain.add(r.claim.batchId().value()));
        UUID id = request.claim.batchId().value();
        long stored = inFlight.stream()
                .filter(f -> !f.id().equals(id) && !signedAgain.contains(f.id()) && f.nonce() >= request.minedBelow)
                .count();
        long fresh = signedBefore.stream().filter(r -> r.signed.nonce() >= request.minedBelow).count();
        return stored + fresh;
    }

    /** A locked batch row: its run, whether it is PROCESSING, its campaign's status, and its lease as stored. */
    private record LockedBatch(UUID id, int run, boolean processing, CampaignStatus campaign, String leaseOwner,
            Instant leaseUntil) {
        boolean leaseHeldBy(Claim claim) {
            return claim.worker().equals(leaseOwner) && Codec.micros(claim.until()).equals(leaseUntil);
        }
    }

    private record InFlight(UUID id, long nonce) {
    }

    /**
     * One write-ahead: its arguments, what its group's transaction staged for it, and its answer once that committed.
     * Staged and answered by the thread holding the wallet's turn; read by its own thread after taking the turn.
     */
    private static final class Request {
        final Claim claim;
        final int maxInFlight;
        final long minedBelow;
        final LongFunction<SignedTransaction> signer;
        /** Staged in the transaction under way. */
        SignedTransaction signed;
        int run;
        private Optional<StoredTransaction> staged;
        private RuntimeException stagedRefusal;
        /** The answer, once given. */
        private Optional<StoredTransaction> result;
        private Throwable failure;

        Request(Claim claim, int maxInFlight, long minedBelow, LongFunction<SignedTransaction> signer) {
            this.claim = claim;
            this.maxInFlight = maxInFlight;
            this.minedBelow = minedBelow;
            this.signer = signer;
        }

        void reset() {
            signed = null;
            staged = null;
            stagedRefusal = null;
        }

        void stage(Optional<StoredTransaction> outcome) {
            staged = outcome;
        }

        void refuse(RuntimeException refusal) {
            stagedRefusal = refusal;
        }

        /** The transaction committed: what it staged becomes the answer. */
        void publish() {
            if (stagedRefusal != null) {
                failure = stagedRefusal;
            } else if (staged != null) {
                result = staged;
            } else {
                failure = new IllegalStateException("batch " + claim.batchId() + " was left out of its write-ahead group");
            }
        }

        void fail(Throwable error) {
            failure = error;
        }

        boolean answered() {
            return result != null || failure != null;
        }

        Optional<StoredTransaction> answer() {
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            return result;
        }
    }
}
