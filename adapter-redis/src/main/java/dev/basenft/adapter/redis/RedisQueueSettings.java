package dev.basenft.adapter.redis;

import dev.basenft.core.model.Require;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything {@link RedisDistributionQueue} needs: where Redis is, which BullMQ queue, and how jobs are retried, locked,
 * recovered and kept. Build with {@link #builder()}, which starts from BullMQ's defaults and the runbook's 3 attempts.
 * Immutable and thread-safe; {@link #toString()} never shows the password.
 *
 * @param host Redis host; not blank
 * @param port 1–65535
 * @param database the Redis database index, 0 or more
 * @param username for Redis ACLs; never null (empty for the default user)
 * @param password never null (empty when Redis needs none)
 * @param ssl whether to connect with TLS ({@code rediss://})
 * @param prefix BullMQ's key prefix, {@code bull} by default; in Redis Cluster use a hash tag such as {@code {bull}}, because
 *     scripts build job keys themselves. Not blank, no whitespace
 * @param queueName {@code distribution}; not blank, no {@code :} or whitespace
 * @param attempts attempts each job added here gets (BullMQ's {@code attempts}), 1–1000; default 3
 * @param backoff the wait between attempts for jobs added here, and for Node-added jobs that name none; never null;
 *     default exponential from 5 s
 * @param lockDuration how long a taken job stays locked without renewal (renewed every half of it); 100 ms–1 h, default 30 s
 * @param stalledInterval how often the stalled-job check runs; 100 ms–1 h, default {@code lockDuration}. A dead worker's
 *     job is back in {@code wait} within two intervals when this is at least {@code lockDuration}
 * @param maxStalledCount how often a job may stall and still be run again; 0–1000, default 1 (BullMQ's)
 * @param keepCompleted how many completed jobs to keep (BullMQ's {@code removeOnComplete} count); 0 removes each at once
 *     (and with it the record that stops a finished batch run from being queued again); 0–10,000,000, default 10,000
 * @param keepFailed how many failed jobs to keep ({@code removeOnFail}); 0–10,000,000, default 10,000
 * @param concurrency how many threads will call {@code take}/{@code finish} at once; sizes the connection pool; 1–1000
 * @param drainDelay the longest one blocking wait for a marker lasts (BullMQ's 5 s); 10 ms–10 s
 * @param maxLenEvents about how many entries the {@code events} stream keeps; 0–10,000,000, default 10,000
 * @param connectTimeout connecting to Redis; 10 ms–1 min, default 2 s
 * @param commandTimeout a reply to one command or script; 10 ms–1 min, default 5 s
 * @param workerName written to a taken job's {@code pb} field when not empty; never null
 * @param fetchNext whether finishing a job also takes the next one for this instance's next {@code take}, in the same
 *     round trip (BullMQ's worker does the same); at most {@code concurrency} jobs wait so, locked and renewed, and go back
 *     to {@code wait} on close. Default true; turn off for a consumer that does not take again right after finishing
 */
public record RedisQueueSettings(
        String host,
        int port,
        int database,
        String username,
        String password,
        boolean ssl,
        String prefix,
        String queueName,
        int attempts,
        Backoff backoff,
        Duration lockDuration,
        Duration stalledInterval,
        int maxStalledCount,
        int keepCompleted,
        int keepFailed,
        int concurrency,
        Duration drainDelay,
        int maxLenEvents,
        Duration connectTimeout,
        Duration commandTimeout,
        String workerName,
        boolean fetchNext) {

    public RedisQueueSettings {
        host = text("host", host);
        Require.between("port", port, 1, 65_535);
        Require.between("database", database, 0, Integer.MAX_VALUE);
        Require.notNull("username", username);
        Require.notNull("password", password);
        prefix = text("prefix", prefix);
        if (prefix.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("prefix must not contain whitespace, got '" + prefix + "'");
        }
        queueName = text("queueName", queueName);
        if (queueName.contains(":") || queueName.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("queueName must not contain ':' or whitespace, got '" + queueName + "'");
        }
        Require.between("attempts", attempts, 1, 1000);
        Require.notNull("backoff", backoff);
        Require.between("lockDuration", lockDuration, Duration.ofMillis(100), Duration.ofHours(1));
        Require.between("stalledInterval", stalledInterval, Duration.ofMillis(100), Duration.ofHours(1));
        Require.between("maxStalledCount", maxStalledCount, 0, 1000);
        Require.between("keepCompleted", keepCompleted, 0, 10_000_000);
        Require.between("keepFailed", keepFailed, 0, 10_000_000);
        Require.between("concurrency", concurrency, 1, 1000);
        Require.between("drainDelay", drainDelay, Duration.ofMillis(10), Duration.ofSeconds(10));
        Require.between("maxLenEvents", maxLenEvents, 0, 10_000_000);
        Require.between("connectTimeout", connectTimeout, Duration.ofMillis(10), Duration.ofMinutes(1));
        Require.between("commandTimeout", commandTimeout, Duration.ofMillis(10), Duration.ofMinutes(1));
        Require.notNull("workerName", workerName);
    }

    /** A builder with the defaults: {@code redis://127.0.0.1:6379/0}, queue {@code bull:distribution}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.host = host;
        b.port = port;
        b.database = database;
        b.username = username;
        b.password = password;
        b.ssl = ssl;
        b.prefix = prefix;
        b.queueName = queueName;
        b.attempts = attempts;
        b.backoff = backoff;
        b.lockDuration = lockDuration;
        b.stalledInterval = stalledInterval;
        b.maxStalledCount = maxStalledCount;
        b.keepCompleted = keepCompleted;
        b.keepFailed = keepFailed;
        b.concurrency = concurrency;
        b.drainDelay = drainDelay;
        b.maxLenEvents = maxLenEvents;
        b.connectTimeout = connectTimeout;
        b.commandTimeout = commandTimeout;
        b.workerName = workerName;
        b.fetchNext = fetchNext;
        return b;
    }

    /** {@code <prefix>:<queueName>:}, the start of every key of this queue. */
    public String keyPrefix() {
        return prefix + ":" + queueName + ":";
    }

    @Override
    public String toString() {
        return "RedisQueueSettings[" + (ssl ? "rediss://" : "redis://") + (username.isEmpty() ? "" : username + "@")
                + host + ":" + port + "/" + database + (password.isEmpty() ? "" : " (password set)")
                + ", queue=" + keyPrefix() + ", attempts=" + attempts + ", backoff=" + backoff
                + ", lockDuration=" + lockDuration + ", stalledInterval=" + stalledInterval
                + ", maxStalledCount=" + maxStalledCount + ", keepCompleted=" + keepCompleted + ", keepFailed=" + keepFailed
                + ", concurrency=" + concurrency + ", drainDelay=" + drainDelay + ", maxLenEvents=" + maxLenEvents
                + ", connectTimeout=" + connectTimeout + ", commandTimeout=" + commandTimeout
                + (workerName.isEmpty() ? "" : ", workerName=" + workerName) + ", fetchNext=" + fetchNext + "]";
    }

    /** A host name, key prefix or queue name: not blank, no control characters (they would end up inside Redis keys). */
    private static String text(String name, String value) {
        return Require.text(name, value, 1, 1024);
    }

    /** Builds {@link RedisQueueSettings}; every setter returns this builder. Not thread-safe. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 6379;
        private int database;
        private String username = "";
        private String password = "";
        private boolean ssl;
        private String prefix = "bull";
        private String queueName = "distribution";
        private int attempts = 3;
        private Backoff backoff = Backoff.exponential(Duration.ofSeconds(5));
        private Duration lockDuration = Duration.ofSeconds(30);
        /** Null until set: then it follows {@link #lockDuration}. */
        private Duration stalledInterval;
        private int maxStalledCount = 1;
        private int keepCompleted = 10_000;
        private int keepFailed = 10_000;
        private int concurrency = 1;
        private Duration drainDelay = Duration.ofSeconds(5);
        private int maxLenEvents = 10_000;
        private Duration connectTimeout = Duration.ofSeconds(2);
        private Duration commandTimeout = Duration.ofSeconds(5);
        private String workerName = "";
        private boolean fetchNext = true;

        private Builder() {
        }

        /**
         * Takes host, port, database, credentials and TLS from {@code redis[s]://[[user]:password@]host[:port][/database]}
         * (the {@code REDIS_URL} form).
         *
         * @param url not null
         * @throws IllegalArgumentException naming {@code url} when it is not of that form
         */
        public Builder url(String url) {
            Require.notNull("url", url);
            URI uri;
            try {
                uri = new URI(url.strip());
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("url must be redis://[[user]:password@]host[:port][/database]: "
                        + e.getReason(), e);
            }
            String scheme = uri.getScheme();
            if (!"redis".equalsIgnoreCase(scheme) && !"rediss".equalsIgnoreCase(scheme)) {
                throw new IllegalArgumentException("url must start with redis:// or rediss://, got scheme " + scheme);
            }
            if (uri.getHost() == null || uri.getHost().isBlank()) {
                throw new IllegalArgumentException("url must name a host");
            }
            host = uri.getHost();
            port = uri.getPort() == -1 ? 6379 : uri.getPort();
            ssl = "rediss".equalsIgnoreCase(scheme);
            String path = Optional.ofNullable(uri.getPath()).orElse("");
            if (path.length() > 1) {
                try {
                    database = Integer.parseInt(path.substring(1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("url's path must be a database number, got " + path, e);
                }
            }
            String userInfo = uri.getRawUserInfo();
            if (userInfo != null) {
                int colon = userInfo.indexOf(':');
                username = decode(colon < 0 ? "" : userInfo.substring(0, colon));
                password = decode(colon < 0 ? userInfo : userInfo.substring(colon + 1));
            }
            return this;
        }

        private static String decode(String part) {
            return URLDecoder.decode(part, StandardCharsets.UTF_8);
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder database(int database) {
            this.database = database;
            return this;
        }

        public Builder username(String username) {
            this.username = username;
            return this;
        }

        public Builder password(String password) {
            this.password = password;
            return this;
        }

        public Builder ssl(boolean ssl) {
            this.ssl = ssl;
            return this;
        }

        public Builder prefix(String prefix) {
            this.prefix = prefix;
            return this;
        }

        public Builder queueName(String queueName) {
            this.queueName = queueName;
            return this;
        }

        public Builder attempts(int attempts) {
            this.attempts = attempts;
            return this;
        }

        public Builder backoff(Backoff backoff) {
            this.backoff = backoff;
            return this;
        }

        public Builder lockDuration(Duration lockDuration) {
            this.lockDuration = lockDuration;
            return this;
        }

        public Builder stalledInterval(Duration stalledInterval) {
            this.stalledInterval = stalledInterval;
            return this;
        }

        public Builder maxStalledCount(int maxStalledCount) {
            this.maxStalledCount = maxStalledCount;
            return this;
        }

        public Builder keepCompleted(int keepCompleted) {
            this.keepCompleted = keepCompleted;
            return this;
        }

        public Builder keepFailed(int keepFailed) {
            this.keepFailed = keepFailed;
            return this;
        }

        public Builder concurrency(int concurrency) {
            this.concurrency = concurrency;
            return this;
        }

        public Builder drainDelay(Duration drainDelay) {
            this.drainDelay = drainDelay;
            return this;
        }

        public Builder maxLenEvents(int maxLenEvents) {
            this.maxLenEvents = maxLenEvents;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Builder commandTimeout(Duration commandTimeout) {
            this.commandTimeout = commandTimeout;
            return this;
        }

        public Builder workerName(String workerName) {
            this.workerName = workerName;
            return this;
        }

        public Builder fetchNext(boolean fetchNext) {
            this.fetchNext = fetchNext;
            return this;
        }

        /** @throws IllegalArgumentException naming the first setting that is out of range */
        public RedisQueueSettings build() {
            // A dead worker's job is back in wait within two stalled checks only when the check runs at least as often
            // as a lock expires: unless told otherwise, run it exactly that often.
            Duration stalledCheck = stalledInterval != null ? stalledInterval : lockDuration;
            return new RedisQueueSettings(host, port, database, username, password, ssl, prefix, queueName, attempts,
                    backoff, lockDuration, stalledCheck, maxStalledCount, keepCompleted, keepFailed, concurrency,
                    drainDelay, maxLenEvents, connectTimeout, commandTimeout, workerName, fetchNext);
        }
    }
}
