package dev.basenft.core.service;

import dev.basenft.core.breaker.CircuitBreaker;
import dev.basenft.core.model.Batch;
import dev.basenft.core.model.ChainRejectedException;
import dev.basenft.core.model.ChainUnavailableException;
import dev.basenft.core.port.in.ProcessBatchUseCase.BatchOutcome;
import dev.basenft.core.port.in.ProcessBatchUseCase.ProcessBatchCommand;
import java.lang.System.Logger.Level;
import java.time.Duration;

/**
 * What a chain call that did not give a verdict means for a batch. Neither ever fails it:
 *
 * <ul>
 *   <li>An outage (no node answered) is not an outcome. It is retried with the queue's backoff while attempts remain, then
 *       waited out by the breaker delay; attempts count only outcomes known not to have minted.
 *   <li>While a stored transaction of the batch may still land, its fate is unknown: whatever went wrong, the batch stays
 *       SUBMITTED and is checked again later (receipt by hash, nonce, batch key) without using an attempt.
 * </ul>
 *
 * Stateless apart from the breaker; thread-safe. Arguments must not be null.
 */
final class ChainTrouble {

    private static final System.Logger LOG = System.getLogger("dev.basenft.worker");

    private final CircuitBreaker breaker;
    private final DistributionSettings settings;

    ChainTrouble(CircuitBreaker breaker, DistributionSettings settings) {
        this.breaker = breaker;
        this.settings = settings;
    }

    /** No node answered: the breaker counts it, and the batch is retried or delayed. */
    BatchOutcome unavailable(ProcessBatchCommand command, Batch batch, ChainUnavailableException e, Holdings held) {
        if (held.recordFailure()) {
            LOG.log(Level.WARNING, "[worker] Circuit breaker OPEN after {0,number,#} consecutive RPC failures: {1}",
                    breaker.config().failureThreshold(), e.getMessage());
        }
        if (held.mayLand()) {
            return fateUnknown(batch, settings.breakerCooldown(), "RPC unavailable: " + e.getMessage(), held);
        }
        if (command.isLastAttempt()) {
            LOG.log(Level.WARNING, "RPC failure on batch {0} on its last attempt ({1,number,#} of {2,number,#}), nothing of it sent; waiting the"
                    + " outage out: delayed by {3,number,#}s, not failed: {4}", batch.id(), command.attemptsMade() + 1,
                    command.maxAttempts(), settings.breakerCooldown().toSeconds(), e.getMessage());
            return new BatchOutcome.Delayed(batch.id(), settings.breakerCooldown(), "RPC unavailable: " + e.getMessage());
        }
        LOG.log(Level.WARNING, "RPC failure on batch {0} (attempt {1,number,#} of {2,number,#}), will retry: {3}", batch.id(),
                command.attemptsMade() + 1, command.maxAttempts(), e.getMessage());
        return new BatchOutcome.RetryLater(batch.id(), e.getMessage());
    }

    /**
     * A node refused a call (a read's JSON-RPC error, a refused rebroadcast) while a stored transaction of the batch may still
     * land: the refusal says nothing about that transaction, so the batch waits.
     */
    BatchOutcome refusedInFlight(Batch batch, ChainRejectedException e, Holdings held) {
        return fateUnknown(batch, settings.waitDelay(), "the node refused a call: " + e.getMessage(), held);
    }

    /** The reason also becomes the batch's error while it waits, so the API shows why it is still SUBMITTED. */
    private static BatchOutcome fateUnknown(Batch batch, Duration delay, String cause, Holdings held) {
        LOG.log(Level.WARNING, "Batch {0}: fate unknown, its transaction may still land; checking again in {1,number,#}s, not failing"
                + " it: {2}", batch.id(), delay.toSeconds(), cause);
        String reason = "fate unknown: its transaction may still land; " + cause;
        held.waiting(reason);
        return new BatchOutcome.Delayed(batch.id(), delay, reason);
    }
}
