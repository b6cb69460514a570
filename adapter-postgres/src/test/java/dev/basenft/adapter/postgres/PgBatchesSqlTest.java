package dev.basenft.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basenft.core.model.BatchLifecycle;
import dev.basenft.core.model.BatchStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/**
 * The SQL that {@link PgBatches} builds from core's {@link BatchLifecycle}: written out here as the statements read before
 * the sets existed, so a wrong set, or a wrong rendering of one, fails; and the partial index that serves
 * {@code open()} still has the very predicate {@code open()} queries with, or PostgreSQL would quietly stop using it.
 */
class PgBatchesSqlTest {

    @Test
    void rendersEachSetAsTheStatusListItStandsFor() {
        assertThat(PgBatches.statusIn(BatchLifecycle.CLAIMABLE)).isEqualTo("status IN ('PENDING', 'PROCESSING', 'SUBMITTED')");
        assertThat(PgBatches.statusIn(BatchLifecycle.RELEASABLE)).isEqualTo("status IN ('PROCESSING', 'SUBMITTED')");
        assertThat(PgBatches.statusIn(BatchLifecycle.FAILABLE)).isEqualTo("status IN ('PROCESSING', 'SUBMITTED')");
        assertThat(PgBatches.statusIn(BatchLifecycle.RETRYABLE)).isEqualTo("status IN ('FAILED')");
        assertThat(PgBatches.statusIn(EnumSet.of(BatchStatus.SUBMITTED, BatchStatus.PENDING)))
                .as("the enum's order, whatever the set's").isEqualTo("status IN ('PENDING', 'SUBMITTED')");
    }

    @Test
    void rendersWhereAClaimAndAReleaseLeadEachStatus() {
        assertThat(PgBatches.statusAfter(BatchLifecycle.CLAIMABLE, BatchLifecycle::afterClaim))
                .isEqualTo("CASE status WHEN 'PENDING' THEN 'PROCESSING' ELSE status END");
        assertThat(PgBatches.statusAfter(BatchLifecycle.RELEASABLE, BatchLifecycle::afterRelease))
                .isEqualTo("CASE status WHEN 'PROCESSING' THEN 'PENDING' ELSE status END");
    }

    @Test
    void theOpenBatchesIndexHasThePredicateOpenQueriesWith() throws IOException {
        String path = "/dev/basenft/adapter/postgres/db/migration/V3__open_batches_index.sql";
        try (InputStream in = PgBatchesSqlTest.class.getResourceAsStream(path)) {
            assertThat(in).as(path).isNotNull();
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .contains("CREATE INDEX batches_open ON batches (id) WHERE " + PgBatches.OPEN + ";");
        }
    }
}
