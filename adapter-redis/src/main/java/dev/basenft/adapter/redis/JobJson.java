package dev.basenft.adapter.redis;

import dev.basenft.adapter.redis.internal.Json;
import dev.basenft.core.model.BatchRef;

/**
 * The JSON of the jobs this adapter adds: data and BullMQ options. Reading a job's JSON is the scripts' work (Redis's
 * cjson), so this only writes. Immutable and thread-safe; arguments must not be null.
 */
final class JobJson {

    private final RedisQueueSettings settings;

    JobJson(RedisQueueSettings settings) {
        this.settings = settings;
    }

    /** The job of {@code batch}'s current run, to run no earlier than {@code delay} ms from its adding. */
    AddScript.NewJob job(BatchRef batch, long delay) {
        return new AddScript.NewJob(batch.jobId(), data(batch), options(batch.jobId(), delay),
                batch.campaignId().toString());
    }

    /** The job's data; {@code batchId} is the only field a worker reads. */
    static String data(BatchRef batch) {
        return "{\"batchId\":\"" + batch.id() + "\",\"campaignId\":\"" + batch.campaignId() + "\",\"index\":"
                + batch.index() + ",\"run\":" + batch.run() + "}";
    }

    /**
     * BullMQ job options, so a Node worker retries and keeps this job as ours would; add.lua appends the priority it
     * gives the job, so this must end in the object's closing brace.
     */
    String options(String jobId, long delay) {
        Backoff backoff = settings.backoff();
        StringBuilder opts = new StringBuilder(200)
                .append("{\"attempts\":").append(settings.attempts())
                .append(",\"backoff\":{\"type\":\"").append(backoff.type().bullName())
                .append("\",\"delay\":").append(backoff.delay().toMillis());
        if (backoff.jitter() > 0) {
            opts.append(",\"jitter\":").append(backoff.jitter());
        }
        opts.append("},\"removeOnComplete\":").append(settings.keepCompleted())
                .append(",\"removeOnFail\":").append(settings.keepFailed());
        if (delay > 0) {
            opts.append(",\"delay\":").append(delay);
        }
        return opts.append(",\"jobId\":").append(Json.quote(jobId)).append('}').toString();
    }
}
