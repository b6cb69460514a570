package dev.basenft.core.model;

import java.util.Map;

/**
 * Counts for a campaign's status page.
 *
 * @param recipients recipients by status, every status present (0 when none); never null
 * @param batches batches by status, every status present; never null
 */
public record BatchSummary(Map<RecipientStatus, Long> recipients, Map<BatchStatus, Long> batches) {

    public BatchSummary {
        recipients = Map.copyOf(Require.notNull("recipients", recipients));
        batches = Map.copyOf(Require.notNull("batches", batches));
        for (RecipientStatus s : RecipientStatus.values()) {
            if (!recipients.containsKey(s)) {
                throw new IllegalArgumentException("recipients counts lack " + s);
            }
        }
        for (BatchStatus s : BatchStatus.values()) {
            if (!batches.containsKey(s)) {
                throw new IllegalArgumentException("batches counts lack " + s);
            }
        }
    }
}
