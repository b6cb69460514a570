package dev.basenft.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basenft.core.internal.Hex;
import dev.basenft.core.internal.Keccak256;
import dev.basenft.core.model.Address;
import dev.basenft.core.model.BatchKey;
import dev.basenft.core.model.BroadcastResult;
import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.CampaignKey;
import dev.basenft.core.model.ChainFailure;
import dev.basenft.core.model.ChainId;
import dev.basenft.core.model.ChainUnavailableException;
import dev.basenft.core.model.Fees;
import dev.basenft.core.model.Fid;
import dev.basenft.core.model.MintCall;
import dev.basenft.core.model.MintQuote;
import dev.basenft.core.model.SignedTransaction;
import dev.basenft.core.model.TokenId;
import dev.basenft.core.model.TransactionStatus;
import dev.basenft.core.model.UnsignedCall;
import dev.basenft.core.model.Wei;
import dev.basenft.core.port.out.DeploymentCheck;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What {@link FakeChain} models beyond the chain contract: the exact replacement rule, faults, and the factory. */
class FakeChainTest {

    private final FakeChain chain = new FakeChain();
    private final Address creator = Address.parse("0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb");
    private final Address collection = chain.deployCollection(creator).collection();
    private int nextKey;

    private MintCall mint(int recipients) {
        List<Address> to = new ArrayList<>();
        for (int i = 0; i < recipients; i++) {
            to.add(Address.ofBytes(ByteBuffer.allocate(20).putInt(8, nextKey).putInt(16, i + 1).array()));
        }
        return new MintCall(collection, BatchKey.derive(new CampaignId(new UUID(1, 1)), nextKey++), to);
    }

    private SignedTransaction sign(MintCall call, long nonce, Fees fees) {
        return chain.signMint(call, nonce, new MintQuote(1_000_000, fees));
    }

    private static Fees fees(long maxGwei, long tipMwei) {
        return new Fees(Wei.gwei(maxGwei), Wei.of(tipMwei * 1_000_000));
    }

    @Test
    void hashesTheRawBytesWithKeccak() {
        SignedTransaction tx = chain.signMint(mint(2), 0, chain.quoteMint(mint(2)));

        assertThat(tx.hash().value()).isEqualTo(Hex.encode(Keccak256.hash(Hex.decode(tx.raw()))));
    }

    @Test
    void replacesOnlyWithAtLeastTenPercentMoreOnBothCaps() {
        chain.automine(false);
        MintCall call = mint(1);
        chain.broadcast(sign(call, 0, fees(100, 1_000)));

        BroadcastResult nine = chain.broadcast(sign(call, 0, new Fees(Wei.gwei(109), Wei.of(1_100_000_000))));
        BroadcastResult tipShort = chain.broadcast(sign(call, 0, new Fees(Wei.gwei(110), Wei.of(1_099_999_999))));
        SignedTransaction exactlyTen = sign(call, 0, new Fees(Wei.gwei(110), Wei.of(1_100_000_000)));
        BroadcastResult ten = chain.broadcast(exactlyTen);

        assertThat(nine).isEqualTo(new BroadcastResult.Rejected(ChainFailure.UNDERPRICED,
                "replacement transaction underpriced"));
        assertThat(tipShort).isInstanceOf(BroadcastResult.Rejected.class);
        assertThat(ten).isEqualTo(new BroadcastResult.Accepted(exactlyTen.hash()));
        assertThat(chain.mempoolSize()).isEqualTo(1);
    }

    @Test
    void holdsATransactionPastANonceGapUntilTheGapFills() {
        MintCall first = mint(1);
        MintCall second = mint(1);
        SignedTransaction later = sign(second, 1, chain.currentFees());

        assertThat(chain.broadcast(later)).isInstanceOf(BroadcastResult.Accepted.class);
        assertThat(chain.status(later.hash())).isEqualTo(new TransactionStatus.Pending());
        assertThat(chain.pendingNonce(chain.minter())).as("a gap is not counted").isZero();

        chain.broadcast(sign(first, 0, chain.currentFees()));

        assertThat(chain.status(later.hash())).isInstanceOf(TransactionStatus.Mined.class);
        assertThat(chain.confirmedNonce(chain.minter())).isEqualTo(2);
    }

    @Test
    void leavesATransactionBelowTheBaseFeeUnmined() {
        SignedTransaction cheap = sign(mint(1), 0, fees(2, 100));
        chain.setBaseFee(Wei.gwei(3));

        chain.broadcast(cheap);
        chain.mine();

        assertThat(chain.isPending(cheap.hash())).isTrue();
        chain.setBaseFee(Wei.gwei(1));
        chain.mine();
        assertThat(chain.receipt(cheap.hash())).isPresent();
    }

    @Test
    void failsTheNextCallsWithTimeoutsButNeverSigningOrInspection() {
        chain.failNextCalls(2);

        assertThatThrownBy(() -> chain.balance(chain.minter())).isInstanceOf(ChainUnavailableException.class)
                .hasMessageContaining("timeout");
        assertThat(chain.signMint(mint(1), 0, new MintQuote(1, fees(2, 100)))).isNotNull();
        assertThat(chain.balanceOf(chain.minter())).isGreaterThan(Wei.ZERO);
        assertThatThrownBy(chain::currentFees).isInstanceOf(ChainUnavailableException.class);
        assertThat(chain.remainingFailures()).isZero();
        assertThat(chain.currentFees()).isNotNull();
    }

    @Test
    void acceptsAndMinesABroadcastWhoseAnswerIsLost() {
        MintCall call = mint(2);
        SignedTransaction tx = sign(call, 0, chain.currentFees());
        chain.loseNextBroadcastResponse();

        assertThatThrownBy(() -> chain.broadcast(tx)).isInstanceOf(ChainUnavailableException.class)
                .hasMessageContaining("response was lost");

        assertThat(chain.receipt(tx.hash())).hasValueSatisfying(r -> assertThat(r.succeeded()).isTrue());
        assertThat(chain.broadcasts()).extracting(FakeChain.BroadcastRecord::result)
                .containsExactly(new BroadcastResult.Accepted(tx.hash()));
        assertThat(chain.tokensOf(collection, call.recipients().getFirst())).containsExactly(TokenId.of(1));
    }

    @Test
    void dropsAPendingTransaction() {
        chain.automine(false);
        SignedTransaction tx = sign(mint(1), 0, chain.currentFees());
        chain.broadcast(tx);

        assertThat(chain.drop(tx.hash())).isTrue();

        assertThat(chain.status(tx.hash())).isEqualTo(new TransactionStatus.Unknown());
        assertThat(chain.drop(tx.hash())).isFalse();
        assertThat(chain.pendingNonce(chain.minter())).isZero();
    }

    @Test
    void mintsTheSameKeyTwiceWhenTheProtectionIsOff() {
        chain.batchKeyProtection(false);
        MintCall call = mint(1);
        chain.broadcast(sign(call, 0, chain.currentFees()));

        chain.broadcast(sign(call, 1, chain.currentFees()));

        assertThat(chain.tokensOf(collection, call.recipients().getFirst())).containsExactly(TokenId.of(1), TokenId.of(2));
        assertThat(chain.batchKeyUsed(collection, call.batchKey())).isFalse();
        assertThat(chain.findMint(collection, call.batchKey(), 0)).isEmpty();
    }

    @Test
    void revertsWithOutOfGasAndCountsTheMintersSpending() {
        MintCall call = mint(3);
        Wei before = chain.balanceOf(chain.minter());
        SignedTransaction starved = chain.signMint(call, 0, new MintQuote(FakeChain.MINT_BASE_GAS, chain.currentFees()));

        chain.broadcast(starved);

        assertThat(chain.receipt(starved.hash())).hasValueSatisfying(r -> {
            assertThat(r.succeeded()).isFalse();
            assertThat(r.failure()).isEqualTo(ChainFailure.OUT_OF_GAS);
            assertThat(r.gasUsed()).isEqualTo(FakeChain.MINT_BASE_GAS);
        });
        assertThat(chain.balanceOf(chain.minter())).isLessThan(before);
        assertThat(chain.mints()).isEmpty();
        assertThat(chain.confirmedNonce(chain.minter())).as("a revert still uses the nonce").isEqualTo(1);
    }

    @Test
    void numbersTokensFromOnePerCollection() {
        MintCall first = mint(2);
        chain.broadcast(sign(first, 0, chain.currentFees()));
        Address other = chain.deployCollection(creator).collection();
        MintCall elsewhere = new MintCall(other, first.batchKey(), first.recipients());
        chain.broadcast(sign(elsewhere, 1, chain.currentFees()));

        assertThat(chain.tokensOf(collection, first.recipients().get(1))).containsExactly(TokenId.of(2));
        assertThat(chain.tokensOf(other, first.recipients().get(0))).containsExactly(TokenId.of(1));
    }

    @Test
    void verifiesDeploymentsThroughItsFactory() {
        Campaign campaign = Campaign.draft(new CampaignId(new UUID(3, 3)), new Fid(1), "Drop", "DRP",
                "", "ipfs://x/", ChainId.BASE, Instant.parse("2026-01-01T00:00:00Z"));
        Address predicted = chain.predictCollection(creator, campaign.id());
        FakeChain.Deployment deployment = chain.deployCollection(creator, campaign.id());
        FakeChain.Deployment roleless = chain.deployCollectionWithoutMinterRole(creator, new CampaignId(new UUID(4, 4)));

        assertThat(deployment.collection()).isEqualTo(predicted);
        assertThat(chain.predictCollection(Address.parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"), campaign.id()))
                .as("another sender, another address").isNotEqualTo(predicted);
        assertThat(chain.verifyDeployment(deployment.transaction())).isEqualTo(new DeploymentCheck.Deployed(
                deployment.collection(), creator, CampaignKey.of(campaign.id()), chain.blockNumber() - 1));
        assertThatThrownBy(() -> chain.deployCollection(creator, campaign.id()))
                .as("the same sender and campaign again: the factory reverts").isInstanceOf(IllegalStateException.class);
        assertThat(chain.minterHasRole(deployment.collection())).isTrue();
        assertThat(chain.minterHasRole(roleless.collection())).isFalse();
        assertThat(chain.verifyDeployment(chain.recordForeignTransaction())).isInstanceOf(DeploymentCheck.Rejected.class);
        UnsignedCall call = chain.deployCall(campaign);
        assertThat(call.to()).isEqualTo(chain.factoryAddress());
        assertThat(call.chainId()).isEqualTo(ChainId.BASE);
        assertThat(call.data()).startsWith("0x").hasSize(2 + 8 + 64 + 64)
                .contains(CampaignKey.of(campaign.id()).value().substring(2));
        assertThat(call.value()).isEqualTo(Wei.ZERO);
    }

    @Test
    void refusesAMalformedRawTransaction() {
        SignedTransaction real = sign(mint(1), 0, chain.currentFees());
        SignedTransaction garbage = new SignedTransaction(real.hash(), "0x0102", real.from(), 0, 1, real.fees());

        assertThat(chain.broadcast(garbage)).isInstanceOf(BroadcastResult.Rejected.class);
        assertThat(chain.mints()).isEmpty();
    }

    @Test
    void rejectsATransactionForAnotherChain() {
        FakeChain sepolia = new FakeChain(new ChainId(84532));
        SignedTransaction foreign = sepolia.signMint(mint(1), 0, new MintQuote(1_000_000, chain.currentFees()));

        assertThat(chain.broadcast(foreign)).isInstanceOfSatisfying(BroadcastResult.Rejected.class,
                r -> assertThat(r.message()).contains("chain id"));
        assertThat(BigInteger.valueOf(sepolia.chainId().value())).isEqualTo(BigInteger.valueOf(84532));
    }
}
