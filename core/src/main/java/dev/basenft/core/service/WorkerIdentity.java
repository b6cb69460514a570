package dev.basenft.core.service;

import dev.basenft.core.model.Require;

/**
 * Names this worker process in batch leases. Must differ between processes (e.g. host name and pid, or a random id made by the
 * application at start-up), so a restarted worker is a new claimant.
 *
 * @param value 1–200 characters
 */
public record WorkerIdentity(String value) {

    public WorkerIdentity {
        value = Require.text("worker", value, 1, 200);
    }
}
