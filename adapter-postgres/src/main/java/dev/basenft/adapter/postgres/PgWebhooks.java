package dev.basenft.adapter.postgres;

import dev.basenft.core.model.Batch;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.CampaignStatus;
import dev.basenft.core.model.Fid;
import dev.basenft.core.model.Require;
import dev.basenft.core.model.Webhook;
import dev.basenft.core.model.WebhookAttempt;
import dev.basenft.core.model.WebhookEvent;
import dev.basenft.core.model.WebhookEventType;
import dev.basenft.core.model.WebhookId;
import dev.basenft.core.port.out.Webhooks;
import java.net.URI;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * {@link Webhooks} on PostgreSQL (V9): the outbox is {@code webhook_events}, written by {@link PgCampaigns} and
 * {@link PgBatches} through {@link #recordCampaignEvent} and {@link #recordBatchFailed} inside their own transactions; the
 * deliveries a due-time queue claimed with {@code FOR UPDATE SKIP LOCKED}. Thread-safe.
 */
final class PgWebhooks implements Webhooks {

    private static final String WEBHOOK_COLUMNS = "id, owner_fid, url, events, campaign_id, secret, created_at";
    private static final String EVENT_COLUMNS = "id, type, campaign_id, target_webhook, status, batch_id, batch_index,"
            + " batch_run, error, created_at";

    private final Jdbi jdbi;

    PgWebhooks(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Inserts the event of a campaign moved to {@code status}, if that status has one; on the caller's handle. */
    static void recordCampaignEvent(Handle h, CampaignId campaign, CampaignStatus status, Instant at) {
        WebhookEventType type = switch (status) {
            case COMPLETED -> WebhookEventType.CAMPAIGN_COMPLETED;
            case FAILED -> WebhookEventType.CAMPAIGN_FAILED;
            default -> null;
        };
        if (type == null) {
            return;
        }
        h.createUpdate("INSERT INTO webhook_events (id, type, campaign_id, status, created_at)"
                        + " VALUES (gen_random_uuid(), :type, :campaign, :status, :at)")
                .bind("type", type.wireName())
                .bind("campaign", campaign.value())
                .bind("status", status.name())
                .bind("at", Codec.timestamp(at))
                .execute();
    }

    /** Inserts the {@code batch.failed} event of {@code batch}; on the caller's handle. */
    static void recordBatchFailed(Handle h, Batch batch, String error, Instant at) {
        h.createUpdate("INSERT INTO webhook_events (id, type, campaign_id, batch_id, batch_index, batch_run, error,"
                        + " created_at) VALUES (gen_random_uuid(), 'batch.failed', :campaign, :batch, :index, :run, :error, :at)")
                .bind("campaign", batch.campaignId().value())
                .bind("batch", batch.id().value())
                .bind("index", batch.index())
                .bind("run", batch.run())
                .bind("error", error)
                .bind("at", Codec.timestamp(at))
                .execute();
    }

    @Override
    public void create(Webhook webhook) {
        Require.notNull("webhook", webhook);
        int inserted = jdbi.withHandle(h -> h.createUpdate("INSERT INTO webhooks (" + WEBHOOK_COLUMNS + ")"
                        + " VALUES (:id, :owner, :url, :events, CAST(:campaign AS uuid), :secret, :at) ON CONFLICT (id) DO NOTHING")
                .bind("id", webhook.id().value())
                .bind("owner", webhook.owner().value())
                .bind("url", webhook.url().toString())
                .bind("events", Codec.textArray(EnumSet.copyOf(webhook.events()).stream()
                        .map(WebhookEventType::wireName).toList()))
                .bind("campaign", webhook.campaignId().map(CampaignId::value).orElse(null))
                .bind("secret", webhook.secret())
                .bind("at", Codec.timestamp(webhook.createdAt()))
                .execute());
        if (inserted == 0) {
            throw new IllegalStateException("webhook " + webhook.id() + " exists");
        }
    }

    @Override
    public Optional<Webhook> find(WebhookId id) {
        Require.notNull("id", id);
        return jdbi.withHandle(h -> h.createQuery("SELECT " + WEBHOOK_COLUMNS + " FROM webhooks WHERE id = :id")
                .bind("id", id.value())
                .map((rs, ctx) -> webhook(rs, ""))
                .findOne());
    }

    @Override
    public List<Webhook> byOwner(Fid owner) {
        Require.notNull("owner", owner);
        return jdbi.withHandle(h -> h.createQuery("SELECT " + WEBHOOK_COLUMNS + " FROM webhooks WHERE owner_fid = :owner"
                        + " ORDER BY created_at, id")
                .bind("owner", owner.value())
                .map((rs, ctx) -> webhook(rs, ""))
                .list());
    }

    @Override
    public boolean delete(WebhookId id) {
        Require.notNull("id", id);
        // Deliveries and their log go by ON DELETE CASCADE; the events stay (other webhooks may still deliver them).
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM webhooks WHERE id = :id")
                .bind("id", id.value())
                .execute()) == 1;
    }

    @Override
    public Optional<WebhookEvent> recordTest(WebhookId id, Instant now) {
        Require.notNull("id", id);
        Require.notNull("now", now);
        return jdbi.inTransaction(h -> {
            Optional<WebhookEvent> event = h.createQuery("INSERT INTO webhook_events (id, type, target_webhook, created_at,"
                            + " dispatched) SELECT gen_random_uuid(), 'webhook.test', id, :now, true FROM webhooks WHERE id = :id"
                            + " RETURNING " + EVENT_COLUMNS)
                    .bind("id", id.value())
                    .bind("now", Codec.timestamp(now))
                    .map((rs, ctx) -> event(rs, ""))
                    .findOne();
            event.ifPresent(e -> h.createUpdate("INSERT INTO webhook_deliveries (event_id, webhook_id, status, due_at)"
                            + " VALUES (:event, :webhook, 'PENDING', :now)")
                    .bind("event", e.id())
                    .bind("webhook", id.value())
                    .bind("now", Codec.timestamp(now))
                    .execute());
            return event;
        });
    }

    @Override
    public List<WebhookEvent> eventsOf(CampaignId campaign) {
        Require.notNull("campaign", campaign);
        return jdbi.withHandle(h -> h.createQuery("SELECT " + EVENT_COLUMNS + " FROM webhook_events"
                        + " WHERE campaign_id = :campaign ORDER BY seq")
                .bind("campaign", campaign.value())
                .map((rs, ctx) -> event(rs, ""))
                .list());
    }

    @Override
    public int dispatch(Instant now, int limit) {
        Require.notNull("now", now);
        Require.atLeast("limit", limit, 1);
        // One statement: the picked events' deliveries and their "dispatched" mark are kept together or not at all, and
        // SKIP LOCKED lets another worker dispatch other events meanwhile. ON CONFLICT makes a second fan-out add nothing.
        return jdbi.withHandle(h -> h.createUpdate("WITH picked AS ("
                        + " SELECT seq, id, type, campaign_id FROM webhook_events WHERE NOT dispatched"
                        + " ORDER BY seq LIMIT :limit FOR UPDATE SKIP LOCKED),"
                        + " fanned AS (INSERT INTO webhook_deliveries (event_id, webhook_id, status, due_at)"
                        + " SELECT p.id, w.id, 'PENDING', :now FROM picked p"
                        + " JOIN campaigns c ON c.id = p.campaign_id"
                        + " JOIN webhooks w ON w.owner_fid = c.owner_fid"
                        + " AND (w.campaign_id IS NULL OR w.campaign_id = p.campaign_id) AND p.type = ANY (w.events)"
                        + " ON CONFLICT (event_id, webhook_id) DO NOTHING)"
                        + " UPDATE webhook_events e SET dispatched = true FROM picked p WHERE e.seq = p.seq")
                .bind("limit", limit)
                .bind("now", Codec.timestamp(now))
                .execute());
    }

    @Override
    public List<DueDelivery> claimDue(Instant now, Duration lease, int limit) {
        Require.notNull("now", now);
        Require.positive("lease", lease);
        Require.atLeast("limit", limit, 1);
        return jdbi.withHandle(h -> h.createQuery("WITH due AS ("
                        + " SELECT id FROM webhook_deliveries WHERE status = 'PENDING' AND due_at <= :now"
                        + " AND (leased_until IS NULL OR leased_until <= :now)"
                        + " ORDER BY due_at, id LIMIT :limit FOR UPDATE SKIP LOCKED),"
                        + " claimed AS (UPDATE webhook_deliveries d SET attempts = d.attempts + 1, leased_until = :until"
                        + " FROM due WHERE d.id = due.id RETURNING d.id, d.event_id, d.webhook_id, d.attempts, d.due_at)"
                        + " SELECT c.id AS delivery_id, c.attempts AS delivery_attempts,"
                        + " w.id AS w_id, w.owner_fid AS w_owner_fid, w.url AS w_url, w.events AS w_events,"
                        + " w.campaign_id AS w_campaign_id, w.secret AS w_secret, w.created_at AS w_created_at,"
                        + " e.id AS e_id, e.type AS e_type, e.campaign_id AS e_campaign_id,"
                        + " e.target_webhook AS e_target_webhook, e.status AS e_status, e.batch_id AS e_batch_id,"
                        + " e.batch_index AS e_batch_index, e.batch_run AS e_batch_run, e.error AS e_error,"
                        + " e.created_at AS e_created_at"
                        + " FROM claimed c JOIN webhooks w ON w.id = c.webhook_id JOIN webhook_events e ON e.id = c.event_id"
                        + " ORDER BY c.due_at, c.id")
                .bind("now", Codec.timestamp(now))
                .bind("until", Codec.timestamp(now.plus(lease)))
                .bind("limit", limit)
                .map((rs, ctx) -> new DueDelivery(rs.getLong("delivery_id"), webhook(rs, "w_"), event(rs, "e_"),
                        rs.getInt("delivery_attempts")))
                .list());
    }

    @Override
    public boolean recordAttempt(long deliveryId, WebhookAttempt attempt, Optional<Instant> retryAt) {
        Require.notNull("attempt", attempt);
        Require.notNull("retryAt", retryAt);
        if (retryAt.isPresent() != (attempt.outcome() == WebhookAttempt.Outcome.RETRYING)) {
            throw new IllegalArgumentException("retryAt must be present exactly when the outcome is RETRYING");
        }
        String status = switch (attempt.outcome()) {
            case DELIVERED -> "DELIVERED";
            case FAILED -> "FAILED";
            case RETRYING -> "PENDING";
        };
        // One statement: the log line and the delivery's new state together; nothing for a delivery gone or settled.
        return jdbi.withHandle(h -> h.createUpdate("WITH settled AS ("
                        + " UPDATE webhook_deliveries SET status = :status, leased_until = NULL,"
                        + " due_at = CASE WHEN :retrying THEN :retryAt ELSE due_at END"
                        + " WHERE id = :id AND status = 'PENDING' RETURNING id, webhook_id)"
                        + " INSERT INTO webhook_attempts (delivery_id, webhook_id, event_id, event_type, attempt, status_code,"
                        + " error, duration_ms, attempted_at, outcome)"
                        + " SELECT id, webhook_id, :event, :type, :attempt, CAST(:code AS integer), CAST(:error AS text), :duration, :at, :outcome FROM settled")
                .bind("id", deliveryId)
                .bind("status", status)
                .bind("retrying", retryAt.isPresent())
                .bind("retryAt", Codec.timestamp(retryAt.orElse(attempt.at())))
                .bind("event", attempt.eventId())
                .bind("type", attempt.type().wireName())
                .bind("attempt", attempt.attempt())
                .bind("code", attempt.statusCode().orElse(null))
                .bind("error", attempt.error().orElse(null))
                .bind("duration", attempt.duration().toMillis())
                .bind("at", Codec.timestamp(attempt.at()))
                .bind("outcome", attempt.outcome().name())
                .execute()) == 1;
    }

    @Override
    public List<WebhookAttempt> attempts(WebhookId id, Optional<Long> before, int limit) {
        Require.notNull("id", id);
        Require.notNull("before", before);
        Require.atLeast("limit", limit, 1);
        return jdbi.withHandle(h -> h.createQuery("SELECT seq, event_id, event_type, attempt, status_code, error,"
                        + " duration_ms, attempted_at, outcome FROM webhook_attempts"
                        + " WHERE webhook_id = :id AND seq < :before ORDER BY seq DESC LIMIT :limit")
                .bind("id", id.value())
                .bind("before", before.orElse(Long.MAX_VALUE))
                .bind("limit", limit)
                .map(PgWebhooks::attempt)
                .list());
    }

    private static WebhookAttempt attempt(ResultSet rs, StatementContext ctx) throws SQLException {
        int code = rs.getInt("status_code");
        Optional<Integer> statusCode = rs.wasNull() ? Optional.empty() : Optional.of(code);
        return new WebhookAttempt(rs.getLong("seq"), rs.getObject("event_id", UUID.class),
                WebhookEventType.fromWireName(rs.getString("event_type")).orElseThrow(), rs.getInt("attempt"), statusCode,
                Optional.ofNullable(rs.getString("error")), Duration.ofMillis(rs.getLong("duration_ms")),
                Codec.instant(rs, "attempted_at"), WebhookAttempt.Outcome.valueOf(rs.getString("outcome")));
    }

    private static Webhook webhook(ResultSet rs, String prefix) throws SQLException {
        Array array = rs.getArray(prefix + "events");
        Set<WebhookEventType> events = EnumSet.noneOf(WebhookEventType.class);
        for (Object name : (Object[]) array.getArray()) {
            events.add(WebhookEventType.fromWireName((String) name).orElseThrow());
        }
        UUID campaign = rs.getObject(prefix + "campaign_id", UUID.class);
        return new Webhook(new WebhookId(rs.getObject(prefix + "id", UUID.class)), new Fid(rs.getLong(prefix + "owner_fid")),
                URI.create(rs.getString(prefix + "url")), events,
                Optional.ofNullable(campaign).map(CampaignId::new), rs.getString(prefix + "secret"),
                Codec.instant(rs, prefix + "created_at"));
    }

    private static WebhookEvent event(ResultSet rs, String prefix) throws SQLException {
        WebhookEventType type = WebhookEventType.fromWireName(rs.getString(prefix + "type")).orElseThrow();
        Map<String, Object> data = new LinkedHashMap<>();
        switch (type) {
            case CAMPAIGN_COMPLETED, CAMPAIGN_FAILED -> data.put("status", rs.getString(prefix + "status"));
            case BATCH_FAILED -> {
                data.put("batchId", rs.getObject(prefix + "batch_id", UUID.class).toString());
                data.put("index", (long) rs.getInt(prefix + "batch_index"));
                data.put("run", (long) rs.getInt(prefix + "batch_run"));
                data.put("error", rs.getString(prefix + "error"));
            }
            case WEBHOOK_TEST -> data.put("webhookId", rs.getObject(prefix + "target_webhook", UUID.class).toString());
        }
        UUID campaign = rs.getObject(prefix + "campaign_id", UUID.class);
        return new WebhookEvent(rs.getObject(prefix + "id", UUID.class), type,
                Optional.ofNullable(campaign).map(CampaignId::new), Codec.instant(rs, prefix + "created_at"), data);
    }
}
