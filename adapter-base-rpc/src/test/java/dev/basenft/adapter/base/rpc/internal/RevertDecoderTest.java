package dev.basenft.adapter.base.rpc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basenft.core.model.ChainFailure;
import org.junit.jupiter.api.Test;

/** Revert data and node texts as real nodes send them, decoded into named failures. */
class RevertDecoderTest {

    private static final String KEY = "00e2bb06465ac308f3df786075ac29d056686a237635c0080854d7e9662b0f69";

    private static RevertDecoder.Decoded decode(String message, String data) {
        return RevertDecoder.decode(new JsonRpcErrorException("eth_estimateGas", 3, message, data));
    }

    @Test
    void namesOurContractsCustomErrors() {
        assertThat(decode("execution reverted", "0x241e265a" + KEY))
                .isEqualTo(new RevertDecoder.Decoded(ChainFailure.BATCH_KEY_USED, "BatchAlreadyUsed(0x" + KEY + ")"));
        assertThat(decode("execution reverted", "0xd93c0665").failure()).isEqualTo(ChainFailure.PAUSED);
        assertThat(decode("execution reverted", "0xe2517d3f00000000000000000000000090f79bf6eb2c4f870365e785982e1f101e93b906"
                + "9f2df0fed2c77648de5860a4cc508cd0818c85b8b8a1ab4ceeef8d981c8956a6"))
                .isEqualTo(new RevertDecoder.Decoded(ChainFailure.MISSING_ROLE,
                        "AccessControlUnauthorizedAccount(0x90f79bf6eb2c4f870365e785982e1f101e93b906, MINTER_ROLE)"));
        assertThat(decode("execution reverted", "0x64a0ae92" + "0".repeat(64)))
                .isEqualTo(new RevertDecoder.Decoded(ChainFailure.INVALID_RECIPIENT,
                        "ERC721InvalidReceiver(0x0000000000000000000000000000000000000000)"));
        assertThat(decode("execution reverted", "0x" + Abi.selector("EmptyBatch()").substring(2)).detail())
                .contains("EmptyBatch()");
    }

    @Test
    void findsRevertDataQuotedNestedOrOnlyInTheMessage() {
        assertThat(decode("execution reverted", "\"0x241e265a" + KEY + "\"").failure()).isEqualTo(ChainFailure.BATCH_KEY_USED);
        assertThat(decode("execution reverted", "{\"message\":\"x\",\"data\":\"0xd93c0665\"}").failure())
                .isEqualTo(ChainFailure.PAUSED);
        assertThat(decode("execution reverted: custom error 0xd93c0665:", null).failure()).isEqualTo(ChainFailure.PAUSED);
    }

    @Test
    void decodesSolidityErrorStringsAndPanics() {
        String reason = "0x08c379a0" + "0000000000000000000000000000000000000000000000000000000000000020"
                + "0000000000000000000000000000000000000000000000000000000000000004" + "6e6f706500000000000000000000000000000000000000000000000000000000";
        assertThat(decode("execution reverted: nope", reason))
                .isEqualTo(new RevertDecoder.Decoded(ChainFailure.REVERTED, "reverted: nope"));
        assertThat(decode("execution reverted", "0x4e487b71" + "0".repeat(62) + "11").detail()).isEqualTo("panic 0x11");
        assertThat(decode("execution reverted", "0x12345678").detail()).contains("custom error 0x12345678");
    }

    @Test
    void namesPoolRefusalsByTheirTextAcrossClients() {
        assertThat(RevertDecoder.fromMessage("Insufficient funds for gas * price + value").failure())
                .isEqualTo(ChainFailure.INSUFFICIENT_FUNDS);
        assertThat(RevertDecoder.fromMessage("insufficient funds for gas * price + value: balance 0").failure())
                .isEqualTo(ChainFailure.INSUFFICIENT_FUNDS);
        assertThat(RevertDecoder.fromMessage("nonce too low: next nonce 5, tx nonce 4").failure())
                .isEqualTo(ChainFailure.NONCE_TOO_LOW);
        assertThat(RevertDecoder.fromMessage("nonce too high").failure()).isEqualTo(ChainFailure.NONCE_TOO_HIGH);
        assertThat(RevertDecoder.fromMessage("replacement transaction underpriced").failure())
                .isEqualTo(ChainFailure.UNDERPRICED);
        assertThat(RevertDecoder.fromMessage("max fee per gas less than block base fee").failure())
                .isEqualTo(ChainFailure.UNDERPRICED);
        assertThat(RevertDecoder.fromMessage("gas required exceeds allowance (30000000)").failure())
                .isEqualTo(ChainFailure.OUT_OF_GAS);
        assertThat(RevertDecoder.fromMessage("out of gas").failure()).isEqualTo(ChainFailure.OUT_OF_GAS);
        assertThat(RevertDecoder.fromMessage("invalid sender").failure()).isEqualTo(ChainFailure.REVERTED);
        assertThat(RevertDecoder.isAlreadyKnown("already known")).isTrue();
        assertThat(RevertDecoder.isAlreadyKnown("Known transaction: 0xabc")).isTrue();
        assertThat(RevertDecoder.isAlreadyKnown("transaction already imported")).isTrue();
        assertThat(RevertDecoder.isAlreadyKnown("nonce too low")).isFalse();
    }
}
