package dev.basenft.adapter.base.rpc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basenft.core.model.ReceiptFees;
import dev.basenft.core.model.Wei;
import java.math.BigInteger;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.ObjectMapperFactory;

/**
 * The fee fields of a receipt as Base's nodes send them (op-geth adds {@code l1Fee} and its inputs to every non-deposit
 * receipt), read through web3j's own JSON mapper, as the gateway reads them. Anvil sends no {@code l1Fee}, so the anvil
 * tests cannot show it is read.
 */
class MintReceiptsTest {

    // Shaped as a Base mainnet receipt (op-geth), logs trimmed.
    private static final String BASE_RECEIPT = """
            {"jsonrpc":"2.0","id":1,"result":{
              "blockHash":"0x%s","blockNumber":"0x1234","contractAddress":null,"cumulativeGasUsed":"0x5208",
              "effectiveGasPrice":"0xf4240","from":"0x1111111111111111111111111111111111111111","gasUsed":"0x186a0",
              "l1BaseFeeScalar":"0x8dd","l1BlobBaseFee":"0x1","l1BlobBaseFeeScalar":"0x101c12","l1Fee":"0x3e8",
              "l1GasPrice":"0x5f5e100","l1GasUsed":"0x640","logs":[],"logsBloom":"0x%s","status":"0x1",
              "to":"0x2222222222222222222222222222222222222222","transactionHash":"0x%s","transactionIndex":"0x3",
              "type":"0x2"}}
            """.formatted("aa".repeat(32), "00".repeat(256), "bb".repeat(32));

    @Test
    void aBaseReceiptGivesItsEffectiveGasPriceAndL1Fee() throws Exception {
        MintReceipts.GetOpReceipt response = ObjectMapperFactory.getObjectMapper()
                .readValue(BASE_RECEIPT, MintReceipts.GetOpReceipt.class);
        MintReceipts.OpReceipt receipt = response.getTransactionReceipt().orElseThrow();

        Optional<ReceiptFees> fees = MintReceipts.fees(receipt);

        assertThat(fees).contains(new ReceiptFees(Wei.of(1_000_000), Optional.of(Wei.of(1_000))));
        // 100,000 gas × 1,000,000 wei + 1,000 wei of L1 data
        assertThat(fees.get().total(receipt.getGasUsed().longValueExact()))
                .isEqualTo(new Wei(BigInteger.valueOf(100_000_001_000L)));
    }

    @Test
    void aReceiptWithoutL1FeeHasOnlyItsGasPrice() throws Exception {
        String anvil = BASE_RECEIPT.replace("\"l1Fee\":\"0x3e8\",", "");
        MintReceipts.OpReceipt receipt = ObjectMapperFactory.getObjectMapper()
                .readValue(anvil, MintReceipts.GetOpReceipt.class).getTransactionReceipt().orElseThrow();

        assertThat(MintReceipts.fees(receipt)).contains(new ReceiptFees(Wei.of(1_000_000), Optional.empty()));
    }
}
