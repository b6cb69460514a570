package dev.basenft.app.logging;

import dev.basenft.core.port.in.ProcessBatchUseCase;
import dev.basenft.core.port.out.Batches;
import java.util.Objects;
import org.slf4j.MDC;

/**
 * Puts what a worker thread is busy with into the logging context (SLF4J's MDC) for the time it processes one batch, so
 * every line logged meanwhile — by core, the chain gateway or the stores — can carry {@code campaignId} and {@code batchId}
 * as fields ({@link JsonLineEncoder}). Core itself depends on no logging library, hence this wrapper in the application.
 *
 * <p>Thread-safe: the context is the calling thread's own and is cleared when the batch is done.
 */
public final class LogContext {

    /** The context key of the campaign id. */
    public static final String CAMPAIGN_ID = "campaignId";
    /** The context key of the batch id. */
    public static final String BATCH_ID = "batchId";

    private LogContext() {
    }

    /**
     * {@code processor}, with the batch's and its campaign's ids in the logging context while it runs.
     *
     * @param processor the real processor; never null
     * @param batches where the batch's campaign id is read (one column by primary key per job); never null
     */
    public static ProcessBatchUseCase around(ProcessBatchUseCase processor, Batches batches) {
        Objects.requireNonNull(processor, "processor");
        Objects.requireNonNull(batches, "batches");
        return command -> {
            MDC.put(BATCH_ID, command.batchId().toString());
            try {
                // A failed read must not stop the batch: the ids are for the logs only, and the processor reads again.
                // Not find(): a batch's recipients, read and checksummed only to name its campaign, held a pooled
                // connection that every other batch starting at once was waiting for.
                batches.campaignOf(command.batchId()).ifPresent(campaign -> MDC.put(CAMPAIGN_ID, campaign.toString()));
            } catch (RuntimeException e) {
                MDC.remove(CAMPAIGN_ID);
            }
            try {
                return processor.process(command);
            } finally {
                MDC.remove(BATCH_ID);
                MDC.remove(CAMPAIGN_ID);
            }
        };
    }
}
