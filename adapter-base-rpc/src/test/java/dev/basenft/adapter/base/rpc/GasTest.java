package dev.basenft.adapter.base.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.basenft.adapter.base.rpc.internal.Abi;
import dev.basenft.adapter.base.rpc.testing.Calls;
import dev.basenft.adapter.base.rpc.testing.ContractsToolchain;
import dev.basenft.adapter.base.rpc.testing.ContractsToolchain.ProcessResult;
import dev.basenft.adapter.base.rpc.testing.DevChain;
import dev.basenft.adapter.base.rpc.testing.DevRpc;
import dev.basenft.adapter.base.rpc.testing.Mined;
import dev.basenft.core.model.Address;
import dev.basenft.core.model.BatchKey;
import dev.basenft.core.model.ChainFailure;
import dev.basenft.core.model.ChainRejectedException;
import dev.basenft.core.model.MintCall;
import dev.basenft.core.model.MintQuote;
import dev.basenft.core.model.MintReceipt;
import dev.basenft.core.model.SignedTransaction;
import dev.basenft.core.model.TransactionStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Gas per recipient of {@code mintBatch} through a factory clone, as the adapter quotes, signs and sends it, against one
 * {@code safeMint} transaction per recipient; and what the batch-key protection costs, measured against a build of the same
 * contract without it. Every recipient is a fresh address (two new storage slots each): the airdrop case. Prints the table.
 */
class GasTest {

    private static final int[] SIZES = {1, 10, 100, 200, 350};
    private static final long PER_RECIPIENT_AT_200_MAX = 48_500;
    private static final double SAFE_MINT_RATIO_MIN = 1.65;
    private static final long KEY_PROTECTION_MAX = 25_000;

    private static DevChain dev;
    private static BaseRpcChain chain;

    @BeforeAll
    static void start() {
        dev = DevChain.start();
        chain = dev.connect();
    }

    @AfterAll
    static void stop() {
        chain.close();
        dev.close();
    }

    private record Row(int recipients, long gasLimit, long gasUsed) {
        long perRecipient() {
            return Math.round((double) gasUsed / recipients);
        }
    }

    /** Quote, sign, broadcast and wait, as the worker does; returns the receipt and checks every recipient got one token. */
    private static Row mintThroughAdapter(BaseRpcChain adapter, Address collection, BatchKey key, List<Address> recipients) {
        MintCall call = new MintCall(collection, key, recipients);
        MintQuote quote = adapter.quoteMint(call);
        SignedTransaction tx = adapter.signMint(call, adapter.pendingNonce(adapter.minter()), quote);
        adapter.broadcast(tx);
        MintReceipt receipt = ((TransactionStatus.Mined) Mined.await(adapter, tx.hash(), Duration.ofSeconds(30))).receipt();
        assertThat(receipt.succeeded()).as("mint of " + recipients.size()).isTrue();
        assertThat(receipt.tokens()).hasSize(recipients.size());
        assertThat(receipt.gasUsed()).isLessThanOrEqualTo(quote.gasLimit());
        return new Row(recipients.size(), quote.gasLimit(), receipt.gasUsed());
    }

    private static long gasUsed(JsonNode receipt) {
        return DevRpc.quantity(receipt.get("gasUsed"));
    }

    /** The smallest gas limit the node finds enough for the mint ({@code eth_estimateGas} bisects for it). */
    private static long estimate(Address collection, int recipients) {
        ObjectNode tx = new ObjectMapper().createObjectNode();
        tx.put("from", dev.minter.lowerCase());
        tx.put("to", collection.lowerCase());
        tx.put("data", Abi.mintBatch(DevChain.randomKey(), DevChain.freshAddresses(recipients)));
        return DevRpc.quantity(dev.rpc.call("eth_estimateGas", tx));
    }

    @Test
    void batchesStayWithinBudgetAndBeatOneTransactionPerRecipient() throws IOException {
        Address clone = dev.createCollection("Gas", "GAS", "ipfs://gas/");
        long cap = BaseRpcSettings.BASE_TX_GAS_CAP;

        // Increasing sizes in one collection: the first batch also pays the token counter's first write (about 17k more).
        // 350 needs a gas limit above Base's cap through a clone (see below), so it is measured with a node-sized cap.
        List<Row> rows = new ArrayList<>();
        try (BaseRpcChain uncapped = BaseRpcChain.connect(dev.settings().gasCap(30_000_000).build())) {
            for (int size : SIZES) {
                rows.add(mintThroughAdapter(size < 350 ? chain : uncapped, clone, DevChain.randomKey(),
                        DevChain.freshAddresses(size)));
            }
        }

        // The baseline: one safeMint transaction per recipient (collection counter already non-zero, as in a campaign).
        List<Long> safeMints = new ArrayList<>();
        for (Address recipient : DevChain.freshAddresses(3)) {
            safeMints.add(gasUsed(dev.rpc.sendOk(dev.minter, clone, Calls.encode("safeMint", Calls.address(recipient)))));
        }
        long safeMint = safeMints.stream().mapToLong(Long::longValue).max().orElseThrow();

        // What a reused batch key costs if it is mined anyway (the estimate refuses it, so only a forced send gets here).
        BatchKey used = DevChain.randomKey();
        dev.rpc.sendOk(dev.minter, clone, Abi.mintBatch(used, DevChain.freshAddresses(1)));
        JsonNode reuse = dev.rpc.sendAndMine(dev.minter, clone, Abi.mintBatch(used, DevChain.freshAddresses(1)), 200_000L);
        assertThat(reuse.get("status").asText()).isEqualTo("0x0");

        // Through a clone the call needs gasUsed × 64/63 of gas limit (EIP-150: DELEGATECALL passes on 63/64), so 350
        // fresh recipients use less than the cap but do not fit under it: the adapter refuses, and a send at the cap fails.
        MintCall call350 = new MintCall(clone, DevChain.randomKey(), DevChain.freshAddresses(350));
        assertThatThrownBy(() -> chain.quoteMint(call350))
                .isInstanceOfSatisfying(ChainRejectedException.class, e -> assertThat(e.failure())
                        .isEqualTo(ChainFailure.OUT_OF_GAS))
                .hasMessageContaining("above the per-transaction cap");
        SignedTransaction atCap = chain.signMint(call350, chain.pendingNonce(dev.minter), new MintQuote(cap, chain.currentFees()));
        chain.broadcast(atCap);
        MintReceipt atCapReceipt = ((TransactionStatus.Mined) Mined.await(chain, atCap.hash(), Duration.ofSeconds(30))).receipt();
        assertThat(atCapReceipt.succeeded()).isFalse();
        assertThat(atCapReceipt.failure()).isEqualTo(ChainFailure.OUT_OF_GAS);
        int low = 300;
        int high = 350; // invariant: low fits, high does not
        assertThat(estimate(clone, low)).isLessThanOrEqualTo(cap);
        while (high - low > 1) {
            int middle = (low + high) / 2;
            if (estimate(clone, middle) <= cap) {
                low = middle;
            } else {
                high = middle;
            }
        }
        int largestUnderCap = low;

        Row at200 = rows.stream().filter(r -> r.recipients() == 200).findFirst().orElseThrow();
        Row at350 = rows.getLast();
        double ratio = (double) safeMint / at200.perRecipient();
        long marginal = Math.round((at350.gasUsed() - rows.get(2).gasUsed()) / 250.0);

        StringBuilder table = new StringBuilder();
        table.append("| mintBatch through a clone, n fresh recipients | gas limit quoted (+20 %) | gasUsed | per recipient |\n");
        table.append("|---:|---:|---:|---:|\n");
        for (Row row : rows) {
            table.append(String.format(Locale.ROOT, "| %d | %,d%s | %,d | %,d |%n", row.recipients(), row.gasLimit(),
                    row.gasLimit() > cap ? " (cap 30M)" : "", row.gasUsed(), row.perRecipient()));
        }
        table.append(String.format(Locale.ROOT, "%nmarginal cost per recipient (n=100 -> 350): %,d gas%n", marginal));
        table.append(String.format(Locale.ROOT, "safeMint, one transaction per fresh recipient: %,d gas (%s)%n", safeMint,
                safeMints));
        table.append(String.format(Locale.ROOT, "mintBatch at n=200 is %.2fx cheaper per recipient than safeMint%n", ratio));
        table.append(String.format(Locale.ROOT, "reused batch key mined anyway (reverts BatchAlreadyUsed): %,d gas%n",
                gasUsed(reuse)));
        table.append(String.format(Locale.ROOT, "350 recipients need a gas limit of %,d through a clone (cap %,d); sent at the"
                + " cap it runs out of gas after %,d; largest batch under the cap: %d%n", estimate(clone, 350), cap,
                atCapReceipt.gasUsed(), largestUnderCap));
        report(table.toString());

        assertThat(at200.perRecipient()).as("gas per recipient at n=200").isLessThanOrEqualTo(PER_RECIPIENT_AT_200_MAX);
        assertThat(ratio).as("safeMint / mintBatch per recipient at n=200").isGreaterThanOrEqualTo(SAFE_MINT_RATIO_MIN);
        assertThat(at200.gasLimit()).as("the default batch of 200 is quoted far under the cap").isLessThan(cap * 3 / 4);
        assertThat(largestUnderCap).as("largest batch under the cap, well above BATCH_SIZE 200").isGreaterThanOrEqualTo(300);
        // Per recipient falls as the batch grows: the fixed part is spread.
        for (int i = 1; i < rows.size(); i++) {
            assertThat(rows.get(i).perRecipient()).isLessThan(rows.get(i - 1).perRecipient());
        }
    }

    /**
     * The batch-key protection (one cold SLOAD of the key's slot plus its zero-to-one SSTORE) measured as the difference
     * between two identical first batches (same key, same recipients, so the same calldata) into two fresh clones: one of
     * our contract, one of the same source compiled without the two batch-key lines.
     */
    @Test
    void batchKeyProtectionCostsLessThan25kGasPerBatch() throws IOException {
        Address unprotectedImplementation = dev.deploy(bytecodeWithoutBatchKeyProtection(), "");
        Address unprotectedFactory = dev.deployFactory(unprotectedImplementation);
        Address unprotected = dev.createCollection(unprotectedFactory, "NoKey", "NK", "");
        Address protectedClone = dev.createCollection("Key", "K", "");

        BatchKey key = DevChain.randomKey();
        List<Address> recipients = DevChain.freshAddresses(10);
        long with = gasUsed(dev.rpc.sendOk(dev.minter, protectedClone, Abi.mintBatch(key, recipients)));
        long without = gasUsed(dev.rpc.sendOk(dev.minter, unprotected, Abi.mintBatch(key, recipients)));
        long protection = with - without;
        // The unprotected build really lacks the check: the same key mints again.
        dev.rpc.sendOk(dev.minter, unprotected, Abi.mintBatch(key, DevChain.freshAddresses(1)));

        report(String.format(Locale.ROOT, "batch-key protection: %,d gas per batch (first batch of 10: %,d with, %,d without)%n",
                protection, with, without));
        assertThat(protection).as("batch-key protection per batch").isPositive().isLessThanOrEqualTo(KEY_PROTECTION_MAX);
    }

    /** Compiles, with the project's solc-js, BaseNftCollection.sol minus its two batch-key lines. */
    private static String bytecodeWithoutBatchKeyProtection() throws IOException {
        Path contracts = ContractsToolchain.contractsDir();
        Path script = Files.createTempFile("no-batch-key-", ".mjs");
        try {
            Files.writeString(script, """
                    import { compileSources, readOwnSources } from %s;
                    const unit = "src/BaseNftCollection.sol";
                    let source = readOwnSources()[unit].content;
                    for (const line of ["        if (_usedBatchKeys[batchKey]) revert BatchAlreadyUsed(batchKey);\\n",
                                        "        _usedBatchKeys[batchKey] = true;\\n"]) {
                      if (!source.includes(line)) { console.error("line not found: " + line); process.exit(2); }
                      source = source.replace(line, "");
                    }
                    const { output } = compileSources({ [unit]: { content: source } });
                    console.log("BYTECODE " + JSON.stringify("0x" + output.contracts[unit].BaseNftCollection.evm.bytecode.object));
                    """.formatted(new ObjectMapper().writeValueAsString(contracts.resolve("build.mjs").toUri().toString())),
                    StandardCharsets.UTF_8);
            ProcessResult result = ContractsToolchain.node(contracts, List.of(script.toString()));
            assertThat(result.exitCode()).as(result.output()).isZero();
            String line = result.output().lines().filter(l -> l.startsWith("BYTECODE ")).findFirst().orElseThrow();
            String bytecode = new ObjectMapper().readValue(line.substring(9), String.class);
            assertThat(bytecode).startsWith("0x").isNotEqualTo(ContractArtifact.collection().bytecode());
            return bytecode;
        } finally {
            Files.deleteIfExists(script);
        }
    }

    /** Prints to the test output and appends to target/gas-report.md. */
    private static void report(String text) throws IOException {
        System.out.println(text);
        Path file = ContractsToolchain.root().resolve("adapter-base-rpc/target/gas-report.md");
        Files.createDirectories(file.getParent());
        Files.writeString(file, text + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }
}
