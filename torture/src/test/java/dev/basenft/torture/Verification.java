package dev.basenft.torture;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basenft.adapter.base.rpc.testing.Calls;
import dev.basenft.adapter.base.rpc.testing.DevRpc;
import dev.basenft.core.model.Address;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.web3j.abi.datatypes.generated.Uint256;

/**
 * What the chain and the database say once a tortured distribution has finished, read without the adapters under test:
 * plain {@code eth_call}s to the collection and plain SQL.
 *
 * @param recipients recipients of the campaign
 * @param totalSupply the collection's {@code totalSupply()}
 * @param lost recipients whose {@code balanceOf} is 0
 * @param duplicates tokens beyond one per recipient (from {@code balanceOf} over 1, and any supply no recipient holds)
 * @param databaseDisagreements recipients whose row is not COMPLETED, has no token id, or whose token's {@code ownerOf} is
 *     another address; plus token ids the database gives to two recipients
 * @param batchesByStatus the campaign's batches counted by status
 * @param noncesAllocated nonces the ledger allocated to the campaign's batches
 * @param noncesUsedOnChain how far the minter's on-chain nonce moved during the campaign
 * @param replacements nonces that carry more than one signed transaction (same-nonce replacements)
 * @param smallestBumpPercent the smallest fee raise from one transaction of a nonce to its replacement; -1 without any
 * @param problems readable lines for a failure message (the first few of each kind)
 * @param fillers the minter's zero-value transactions to itself after the campaign was ready, found on chain block by
 *     block: nonces the worker spent on purpose (to close a nonce gap) rather than on a batch
 * @param failedWithTokens FAILED batches one of whose recipients holds a token: a batch reported failed that minted
 * @param batchesOnSeveralNonces batches whose ledger rows (signed transactions) are on more than one nonce: a second mint
 *     transaction signed for a batch while its first one could still land
 */
record Verification(
        int recipients,
        long totalSupply,
        int lost,
        long duplicates,
        int databaseDisagreements,
        Map<String, Integer> batchesByStatus,
        int noncesAllocated,
        long noncesUsedOnChain,
        int replacements,
        int smallestBumpPercent,
        List<String> problems,
        long fillers,
        int failedWithTokens,
        int batchesOnSeveralNonces) {

    Verification {
        batchesByStatus = Map.copyOf(batchesByStatus);
        problems = List.copyOf(problems);
    }

    /** Every batch there is. */
    int batches() {
        return batchesByStatus.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Batches not COMPLETED: stuck, pending or failed. */
    int unfinishedBatches() {
        return batches() - batchesByStatus.getOrDefault("COMPLETED", 0);
    }

    /** Reads everything about {@code campaign}. Call once the distribution is over (or has given up). */
    static Verification of(TortureCampaign campaign) throws SQLException {
        Rig rig = campaign.rig();
        DevRpc rpc = rig.chain.rpc;
        List<String> problems = new ArrayList<>();
        long totalSupply = Calls.decodeUint(rpc.ethCall(null, campaign.collection(), Calls.encode("totalSupply")))
                .longValueExact();
        int lost = 0;
        long duplicates = 0;
        long held = 0;
        for (Address recipient : campaign.recipients()) {
            long balance = Calls.decodeUint(rpc.ethCall(null, campaign.collection(),
                    Calls.encode("balanceOf", Calls.address(recipient)))).longValueExact();
            held += balance;
            if (balance == 0) {
                lost++;
                note(problems, "lost: " + recipient + " holds no token");
            } else if (balance > 1) {
                duplicates += balance - 1;
                note(problems, "duplicate: " + recipient + " holds " + balance + " tokens");
            }
        }
        duplicates += Math.max(0, totalSupply - held);

        int disagreements = 0;
        Map<String, Integer> byStatus = new TreeMap<>();
        int allocated;
        int replacements = 0;
        int smallestBump = -1;
        try (Connection db = rig.jdbc()) {
            Map<Address, BigInteger> tokenOf = new HashMap<>();
            Set<BigInteger> seen = new HashSet<>();
            try (PreparedStatement s = db.prepareStatement(
                    "SELECT address, status, token_id FROM recipients WHERE campaign_id = ?")) {
                s.setObject(1, campaign.id().value());
                try (ResultSet rows = s.executeQuery()) {
                    while (rows.next()) {
                        Address address = Address.ofBytes(rows.getBytes(1));
                        String status = rows.getString(2);
                        BigDecimal token = rows.getBigDecimal(3);
                        if (!status.equals("COMPLETED") || token == null) {
                            disagreements++;
                            note(problems, "database: " + address + " is " + status + " with token " + token);
                            continue;
                        }
                        if (!seen.add(token.toBigIntegerExact())) {
                            disagreements++;
                            note(problems, "database: token " + token + " given to two recipients");
                        }
                        tokenOf.put(address, token.toBigIntegerExact());
                    }
                }
            }
            if (tokenOf.size() + disagreements < campaign.recipients().size()) {
                disagreements += campaign.recipients().size() - tokenOf.size();
                note(problems, "database: only " + tokenOf.size() + " of " + campaign.recipients().size() + " rows minted");
            }
            for (Map.Entry<Address, BigInteger> entry : tokenOf.entrySet()) {
                String word;
                try {
                    word = rpc.ethCall(null, campaign.collection(), Calls.encode("ownerOf", new Uint256(entry.getValue())));
                } catch (DevRpc.RpcError nonexistent) {
                    // ERC721NonexistentToken: the database records a mint the chain does not have (e.g. dropped by a reorg).
                    disagreements++;
                    note(problems, "chain: token " + entry.getValue() + " does not exist, the database says it is "
                            + entry.getKey() + "'s");
                    continue;
                }
                Address owner = Address.parse("0x" + word.substring(word.length() - 40));
                if (!owner.equals(entry.getKey())) {
                    disagreements++;
                    note(problems, "chain: token " + entry.getValue() + " is " + owner + "'s, the database says "
                            + entry.getKey() + "'s");
                }
            }
            try (PreparedStatement s = db.prepareStatement(
                    "SELECT status, count(*) FROM batches WHERE campaign_id = ? GROUP BY status")) {
                s.setObject(1, campaign.id().value());
                try (ResultSet rows = s.executeQuery()) {
                    while (rows.next()) {
                        byStatus.put(rows.getString(1), rows.getInt(2));
                    }
                }
            }
            try (PreparedStatement s = db.prepareStatement("SELECT count(*) FROM nonce_allocations n JOIN batches b"
                    + " ON b.id = n.batch_id WHERE b.campaign_id = ?")) {
                s.setObject(1, campaign.id().value());
                try (ResultSet rows = s.executeQuery()) {
                    rows.next();
                    allocated = rows.getInt(1);
                }
            }
            Map<Long, List<BigInteger[]>> feesByNonce = new LinkedHashMap<>();
            try (PreparedStatement s = db.prepareStatement("SELECT t.nonce, t.max_fee_per_gas, t.max_priority_fee_per_gas"
                    + " FROM signed_transactions t JOIN batches b ON b.id = t.batch_id WHERE b.campaign_id = ?"
                    + " ORDER BY t.nonce, t.id")) {
                s.setObject(1, campaign.id().value());
                try (ResultSet rows = s.executeQuery()) {
                    while (rows.next()) {
                        feesByNonce.computeIfAbsent(rows.getLong(1), n -> new ArrayList<>()).add(new BigInteger[] {
                                rows.getBigDecimal(2).toBigIntegerExact(), rows.getBigDecimal(3).toBigIntegerExact()});
                    }
                }
            }
            for (List<BigInteger[]> txs : feesByNonce.values()) {
                if (txs.size() < 2) {
                    continue;
                }
                replacements += txs.size() - 1;
                for (int i = 1; i < txs.size(); i++) {
                    int bump = Math.min(percentRaise(txs.get(i - 1)[0], txs.get(i)[0]),
                            percentRaise(txs.get(i - 1)[1], txs.get(i)[1]));
                    smallestBump = smallestBump < 0 ? bump : Math.min(smallestBump, bump);
                }
            }
        }
        int failedWithTokens = 0;
        int severalNonces = 0;
        try (Connection db = rig.jdbc()) {
            try (PreparedStatement s = db.prepareStatement(
                    "SELECT batch_index, recipients FROM batches WHERE campaign_id = ? AND status = 'FAILED'")) {
                s.setObject(1, campaign.id().value());
                try (ResultSet rows = s.executeQuery()) {
                    while (rows.next()) {
                        int minted = 0;
                        for (Object raw : (Object[]) rows.getArray(2).getArray()) {
                            Address recipient = Address.ofBytes((byte[]) raw);
                            if (Calls.decodeUint(rpc.ethCall(null, campaign.collection(), Calls.encode("balanceOf",
                                    Calls.address(recipient)))).signum() > 0) {
                                minted++;
                            }
                        }
                        if (minted > 0) {
                            failedWithTokens++;
                            note(problems, "batch " + rows.getInt(1) + " is FAILED but " + minted
                                    + " of its recipients hold a token");
                        }
                    }
                }
            }
            try (PreparedStatement s = db.prepareStatement("SELECT b.batch_index, array_agg(DISTINCT t.nonce ORDER BY t.nonce)"
                    + " FROM signed_transactions t JOIN batches b ON b.id = t.batch_id WHERE b.campaign_id = ?"
                    + " GROUP BY b.batch_index HAVING count(DISTINCT t.nonce) > 1")) {
                s.setObject(1, campaign.id().value());
                try (ResultSet rows = s.executeQuery()) {
                    while (rows.next()) {
                        severalNonces++;
                        note(problems, "batch " + rows.getInt(1) + " has signed transactions on nonces "
                                + java.util.Arrays.toString((Object[]) rows.getArray(2).getArray()));
                    }
                }
            }
        }
        long fillers = fillersOnChain(rpc, rig.chain.minter, campaign.startBlock());
        long usedOnChain = rpc.nonce(rig.chain.minter, "latest") - campaign.minterNonceBefore();
        return new Verification(campaign.recipients().size(), totalSupply, lost, duplicates, disagreements, byStatus,
                allocated, usedOnChain, replacements, smallestBump, problems, fillers, failedWithTokens, severalNonces);
    }

    /**
     * Counts the minter's zero-value transactions to itself in the blocks after {@code afterBlock}, reading every block with
     * its transactions: the chain, not the worker's log or database, says how many nonces went to fillers.
     */
    static long fillersOnChain(DevRpc rpc, Address minter, long afterBlock) {
        long head = rpc.blockNumber();
        long fillers = 0;
        for (long n = afterBlock + 1; n <= head; n++) {
            JsonNode block = rpc.call("eth_getBlockByNumber", "0x" + Long.toHexString(n), true);
            if (block == null || block.isNull()) {
                continue;
            }
            for (JsonNode tx : block.path("transactions")) {
                String from = tx.path("from").asText("");
                String to = tx.path("to").asText("");
                if (from.equalsIgnoreCase(minter.lowerCase()) && to.equalsIgnoreCase(minter.lowerCase())
                        && new BigInteger(tx.path("value").asText("0x0").substring(2), 16).signum() == 0) {
                    fillers++;
                }
            }
        }
        return fillers;
    }

    /** Nonces the minter used on chain beyond one per batch and the fillers: each a second mint signed for some batch. */
    long extraNonces() {
        return noncesUsedOnChain - batches() - fillers;
    }

    private static int percentRaise(BigInteger before, BigInteger after) {
        if (before.signum() == 0) {
            return after.signum() == 0 ? 0 : Integer.MAX_VALUE;
        }
        return after.subtract(before).multiply(BigInteger.valueOf(100)).divide(before).intValueExact();
    }

    private static void note(List<String> problems, String line) {
        if (problems.size() < 20) {
            problems.add(line);
        }
    }
}
