package dev.basenft.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The duplicates that would break exactly-once minting are refused by PostgreSQL itself, whatever code writes: each test
 * writes raw SQL past the adapter and expects the named constraint to stop it.
 */
class SchemaConstraintsTest {

    private static final String CAMPAIGN = "'00000000-0000-0000-0000-0000000000c1'";
    private static final String BATCH_A = "'00000000-0000-0000-0000-0000000000a1'";
    private static final String BATCH_B = "'00000000-0000-0000-0000-0000000000b1'";
    private static final String WALLET = "'\\x1111111111111111111111111111111111111111'";
    private static TestDatabase.Schema schema;

    @BeforeAll
    static void migrate() {
        schema = TestDatabase.newSchema("constraints", 2);
    }

    @AfterAll
    static void drop() {
        schema.close();
    }

    @BeforeEach
    void baseRows() {
        schema.sql("TRUNCATE campaigns, recipients, batches, minter_nonces, nonce_allocations, signed_transactions,"
                        + " idempotency_keys, webhooks, webhook_events, webhook_deliveries, webhook_attempts",
                "INSERT INTO campaigns (id, owner_fid, name, symbol, description, base_uri, chain_id, status, created_at)"
                        + " VALUES (" + CAMPAIGN + ", 1, 'n', 's', '', '', 8453, 'DRAFT', now())",
                batch(BATCH_A, 0, "'\\x" + "a".repeat(64) + "'"),
                batch(BATCH_B, 1, "'\\x" + "b".repeat(64) + "'"));
    }

    private static String batch(String id, int index, String key) {
        return "INSERT INTO batches (id, campaign_id, batch_index, batch_key, recipients, status, attempts, run, updated_at)"
                + " VALUES (" + id + ", " + CAMPAIGN + ", " + index + ", " + key
                + ", ARRAY['\\x2222222222222222222222222222222222222222'::bytea], 'PENDING', 0, 0, now())";
    }

    private static String recipient(String address) {
        return "INSERT INTO recipients (campaign_id, address, status) VALUES (" + CAMPAIGN + ", '\\x" + address
                + "', 'PENDING')";
    }

    private static String tx(String batch, long nonce, char hashDigit) {
        return "INSERT INTO signed_transactions (batch_id, batch_run, wallet, nonce, tx_hash, raw_tx, gas_limit,"
                + " max_fee_per_gas, max_priority_fee_per_gas, recorded_at) VALUES (" + batch + ", 0, " + WALLET + ", " + nonce + ", '\\x"
                + String.valueOf(hashDigit).repeat(64) + "', '\\x02f8', 21000, 2, 1, now())";
    }

    private static String allocate(String batch, long nonce) {
        return "INSERT INTO nonce_allocations (wallet, nonce, batch_id) VALUES (" + WALLET + ", " + nonce + ", " + batch + ")";
    }

    @Test
    void refusesAnAddressTwiceInOneCampaign() {
        String address = "3".repeat(40);
        schema.sql(recipient(address));

        assertThatThrownBy(() -> schema.sql(recipient(address))).hasMessageContaining("recipients_pkey");
        assertThat(schema.count("recipients")).isEqualTo(1);
    }

    @Test
    void refusesMalformedAndZeroAddresses() {
        assertThatThrownBy(() -> schema.sql(recipient("33"))).hasMessageContaining("recipients_address");
        assertThatThrownBy(() -> schema.sql(recipient("0".repeat(40)))).hasMessageContaining("recipients_address");
    }

    @Test
    void refusesASecondBatchAtAnIndexAndAReusedBatchKey() {
        assertThatThrownBy(() -> schema.sql(batch("'00000000-0000-0000-0000-0000000000d1'", 0, "'\\x" + "d".repeat(64) + "'")))
                .hasMessageContaining("batches_campaign_index_key");
        assertThatThrownBy(() -> schema.sql(batch("'00000000-0000-0000-0000-0000000000d1'", 7, "'\\x" + "a".repeat(64) + "'")))
                .hasMessageContaining("batches_batch_key_key");
    }

    @Test
    void refusesASecondTransactionWithTheSameHash() {
        schema.sql(allocate(BATCH_A, 0), tx(BATCH_A, 0, 'e'));

        assertThatThrownBy(() -> schema.sql(allocate(BATCH_B, 1), tx(BATCH_B, 1, 'e')))
                .hasMessageContaining("signed_transactions_tx_hash_key");
    }

    @Test
    void givesAWalletNonceToOneBatchOnlyWhileLettingThatBatchReplaceItsTransaction() {
        schema.sql(allocate(BATCH_A, 5), tx(BATCH_A, 5, 'e'), tx(BATCH_A, 5, 'f'));

        assertThatThrownBy(() -> schema.sql(allocate(BATCH_B, 5))).hasMessageContaining("nonce_allocations_pkey");
        assertThatThrownBy(() -> schema.sql(tx(BATCH_B, 5, 'c')))
                .hasMessageContaining("signed_transactions_nonce_owner_fkey");
        assertThat(schema.count("signed_transactions")).isEqualTo(2);
    }

    @Test
    void refusesACompletedRecipientWithoutItsTokenAndASubmittedBatchWithoutItsNonce() {
        assertThatThrownBy(() -> schema.sql("INSERT INTO recipients (campaign_id, address, status) VALUES (" + CAMPAIGN
                + ", '\\x" + "4".repeat(40) + "', 'COMPLETED')")).hasMessageContaining("recipients_completed_minted");
        assertThatThrownBy(() -> schema.sql("UPDATE batches SET status = 'SUBMITTED' WHERE id = " + BATCH_A))
                .hasMessageContaining("batches_submitted_has_nonce");
    }

    @Test
    void keepsMigrationsIdempotent() {
        assertThat(schema.storage().migrate()).isZero();
        assertThat(schema.count("flyway_schema_history WHERE version = '1' AND success")).isEqualTo(1);
    }
}
