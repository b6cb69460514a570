package dev.basenft.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basenft.core.model.Batch;
import dev.basenft.core.model.BatchId;
import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.CampaignStatus;
import dev.basenft.core.model.ChainId;
import dev.basenft.core.model.Fid;
import dev.basenft.core.model.NewRecipient;
import dev.basenft.core.model.Webhook;
import dev.basenft.core.model.WebhookAttempt;
import dev.basenft.core.model.WebhookAttempt.Outcome;
import dev.basenft.core.model.WebhookEventType;
import dev.basenft.core.model.WebhookId;
import dev.basenft.core.model.Address;
import dev.basenft.core.port.out.Claim;
import dev.basenft.core.port.out.WebhookSender;
import dev.basenft.core.port.out.WebhookSender.Sent;
import dev.basenft.core.testing.InMemoryStorage;
import dev.basenft.core.testing.MutableClock;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * {@link WebhookDispatcher} over the in-memory store: what a receiver gets (body, event id, a signature it can check), the
 * doubling backoff and the give-up, and that an event survives a deliverer that dies before or during delivery.
 */
class WebhookDispatcherTest {

    static final Fid OWNER = new Fid(7);
    static final String SECRET = "whsec_0123456789abcdefghijklmnop";
    static final WebhookSettings SETTINGS = new WebhookSettings(false, 4, Duration.ofSeconds(2), Duration.ofSeconds(5),
            Duration.ofSeconds(3), Duration.ofSeconds(30), Duration.ofMillis(10));

    final MutableClock clock = new MutableClock(Instant.parse("2026-05-01T10:00:00Z"));
    final InMemoryStorage storage = new InMemoryStorage(clock);
    final Receiver receiver = new Receiver();
    final List<WebhookAttempt> heard = new CopyOnWriteArrayList<>();

    /** A scripted receiver: answers from {@link #answers} in turn (then 200), records each request. */
    static final class Receiver implements WebhookSender {
        final List<Sent> answers = new ArrayList<>();
        final List<Map<String, String>> headers = new CopyOnWriteArrayList<>();
        final List<String> bodies = new CopyOnWriteArrayList<>();

        @Override
        public Sent post(URI url, Map<String, String> h, byte[] body, Duration timeout) {
            headers.add(Map.copyOf(h));
            bodies.add(new String(body, StandardCharsets.UTF_8));
            return answers.isEmpty() ? new Sent.Answered(200) : answers.remove(0);
        }
    }

    WebhookDispatcher dispatcher() {
        return new WebhookDispatcher(storage.webhooks(), receiver, clock, SETTINGS, (w, a) -> heard.add(a));
    }

    Campaign processingCampaign() {
        Campaign campaign = Campaign.draft(new CampaignId(UUID.randomUUID()), OWNER, "Drop", "DRP", "", "ipfs://x/",
                ChainId.BASE, clock.instant());
        storage.campaigns().create(campaign);
        storage.campaigns().updateStatus(campaign.id(), CampaignStatus.DRAFT, CampaignStatus.PROCESSING);
        return campaign;
    }

    Webhook webhook(Optional<CampaignId> campaign, WebhookEventType... types) {
        Webhook webhook = new Webhook(new WebhookId(UUID.randomUUID()), OWNER, URI.create("https://hooks.example.com/in"),
                EnumSet.of(types[0], types), campaign, SECRET, clock.instant());
        storage.webhooks().create(webhook);
        return webhook;
    }

    static String hmac(String secret, String timestamp, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "v1=" + HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aCompletedCampaignIsPostedOnceSignedWithItsEventId() throws Exception {
        Campaign campaign = processingCampaign();
        webhook(Optional.empty(), WebhookEventType.CAMPAIGN_COMPLETED);
        webhook(Optional.empty(), WebhookEventType.BATCH_FAILED);
        storage.campaigns().updateStatus(campaign.id(), CampaignStatus.PROCESSING, CampaignStatus.COMPLETED);
        UUID eventId = storage.webhooks().eventsOf(campaign.id()).get(0).id();

        assertThat(dispatcher().runOnce()).isEqualTo(1);
        assertThat(dispatcher().runOnce()).isZero();

        assertThat(receiver.bodies).singleElement().isEqualTo("{\"id\":\"" + eventId + "\",\"type\":\"campaign.completed\","
                + "\"createdAt\":\"2026-05-01T10:00:00Z\",\"campaignId\":\"" + campaign.id() + "\","
                + "\"data\":{\"status\":\"COMPLETED\"}}");
        Map<String, String> h = receiver.headers.get(0);
        assertThat(h).containsEntry("X-BaseNft-Event-Id", eventId.toString())
                .containsEntry("X-BaseNft-Timestamp", Long.toString(clock.instant().getEpochSecond()));
        assertThat(h.get("X-BaseNft-Signature")).isEqualTo(hmac(SECRET, h.get("X-BaseNft-Timestamp"),
                receiver.bodies.get(0)));
        assertThat(heard).singleElement().satisfies(a -> assertThat(a.outcome()).isEqualTo(Outcome.DELIVERED));
    }

    @Test
    void aFailedBatchIsReportedWithItsErrorEscaped() {
        Campaign campaign = processingCampaign();
        webhook(Optional.of(campaign.id()), WebhookEventType.BATCH_FAILED);
        Address recipient = Address.parse("0x00000000000000000000000000000000000000a1");
        storage.recipients().addAll(campaign.id(), List.of(NewRecipient.of(recipient)).iterator());
        Batch batch = Batch.planned(new BatchId(UUID.randomUUID()), campaign.id(), 0, List.of(recipient), clock.instant());
        storage.batches().savePlanned(List.of(batch));
        Claim claim = new Claim(batch.id(), "w", clock.instant(), clock.instant().plusSeconds(60));
        storage.batches().claim(claim);
        storage.batches().fail(claim, "reverted:\t\"paused\"");

        dispatcher().runOnce();

        assertThat(receiver.bodies).singleElement().asString().contains("\"type\":\"batch.failed\"")
                .contains("\"data\":{\"batchId\":\"" + batch.id() + "\",\"index\":0,\"run\":0,"
                        + "\"error\":\"reverted:\\t\\\"paused\\\"\"}");
    }

    @Test
    void retriesWithDoublingBackoffThenGivesUp() {
        Campaign campaign = processingCampaign();
        Webhook webhook = webhook(Optional.empty(), WebhookEventType.CAMPAIGN_FAILED);
        receiver.answers.addAll(List.of(new Sent.Answered(500), new Sent.NoAnswer("connection refused"),
                new Sent.Answered(302), new Sent.Answered(503), new Sent.Answered(200)));
        storage.campaigns().updateStatus(campaign.id(), CampaignStatus.PROCESSING, CampaignStatus.FAILED);
        WebhookDispatcher dispatcher = dispatcher();

        dispatcher.runOnce();                              // try 1 → 500, due again in 2 s
        clock.advance(Duration.ofMillis(1_999));
        assertThat(dispatcher.runOnce()).isZero();
        clock.advance(Duration.ofMillis(1));
        assertThat(dispatcher.runOnce()).isEqualTo(1);     // try 2 → no answer, due again in 4 s
        clock.advance(Duration.ofSeconds(4));
        assertThat(dispatcher.runOnce()).isEqualTo(1);     // try 3 → 302 (not followed), due again in 5 s (capped)
        clock.advance(Duration.ofMillis(4_999));
        assertThat(dispatcher.runOnce()).isZero();
        clock.advance(Duration.ofMillis(1));
        assertThat(dispatcher.runOnce()).isEqualTo(1);     // try 4 of 4 → 503: given up
        clock.advance(Duration.ofDays(1));
        assertThat(dispatcher.runOnce()).isZero();

        List<WebhookAttempt> log = storage.webhooks().attempts(webhook.id(), Optional.empty(), 10);
        assertThat(log).extracting(WebhookAttempt::attempt).containsExactly(4, 3, 2, 1);
        assertThat(log).extracting(WebhookAttempt::outcome).containsExactly(Outcome.FAILED, Outcome.RETRYING,
                Outcome.RETRYING, Outcome.RETRYING);
        assertThat(log).extracting(a -> a.error().orElse("")).containsExactly("HTTP 503", "HTTP 302",
                "connection refused", "HTTP 500");
        assertThat(log.get(2).statusCode()).isEmpty();
        assertThat(receiver.headers).extracting(h -> h.get("X-BaseNft-Event-Id")).containsOnly(
                log.get(0).eventId().toString());
    }

    @Test
    void anEventRecordedWhileNoDelivererRanIsDeliveredByTheNextOne() {
        Campaign campaign = processingCampaign();
        webhook(Optional.empty(), WebhookEventType.CAMPAIGN_COMPLETED);
        // The worker that completed the campaign died before any dispatch: the event is in the outbox all the same.
        storage.campaigns().updateStatus(campaign.id(), CampaignStatus.PROCESSING, CampaignStatus.COMPLETED);
        assertThat(receiver.bodies).isEmpty();

        dispatcher().runOnce();

        assertThat(receiver.headers).singleElement().satisfies(h -> assertThat(h.get("X-BaseNft-Event-Id"))
                .isEqualTo(storage.webhooks().eventsOf(campaign.id()).get(0).id().toString()));
    }

    @Test
    void aDeliveryWhoseDelivererDiedMidwayIsTriedAgainOnceItsLeaseLapsesWithTheSameId() {
        Campaign campaign = processingCampaign();
        Webhook webhook = webhook(Optional.empty(), WebhookEventType.CAMPAIGN_COMPLETED);
        storage.campaigns().updateStatus(campaign.id(), CampaignStatus.PROCESSING, CampaignStatus.COMPLETED);
        // A deliverer claims the delivery and dies before recording the try (say, mid-POST).
        storage.webhooks().dispatch(clock.instant(), 10);
        UUID claimed = storage.webhooks().claimDue(clock.instant(), SETTINGS.lease(), 10).get(0).event().id();

        assertThat(dispatcher().runOnce()).as("still leased").isZero();
        clock.advance(SETTINGS.lease());
        assertThat(dispatcher().runOnce()).isEqualTo(1);

        assertThat(receiver.headers).singleElement()
                .satisfies(h -> assertThat(h.get("X-BaseNft-Event-Id")).isEqualTo(claimed.toString()));
        assertThat(storage.webhooks().attempts(webhook.id(), Optional.empty(), 10)).singleElement()
                .satisfies(a -> assertThat(a.attempt()).as("the lost try counts").isEqualTo(2));
    }

    @Test
    void aSenderThatThrowsCountsAsNoAnswer() {
        Campaign campaign = processingCampaign();
        Webhook webhook = webhook(Optional.empty(), WebhookEventType.CAMPAIGN_COMPLETED);
        storage.campaigns().updateStatus(campaign.id(), CampaignStatus.PROCESSING, CampaignStatus.COMPLETED);
        WebhookSender broken = (url, headers, body, timeout) -> {
            throw new IllegalStateException("bug");
        };

        new WebhookDispatcher(storage.webhooks(), broken, clock, SETTINGS, WebhookListener.NONE).runOnce();

        assertThat(storage.webhooks().attempts(webhook.id(), Optional.empty(), 10)).singleElement().satisfies(a -> {
            assertThat(a.outcome()).isEqualTo(Outcome.RETRYING);
            assertThat(a.error()).contains("IllegalStateException");
        });
    }

    @Test
    void campaignProgressRecordsTheCompletionEvent() {
        Campaign campaign = processingCampaign();
        Address recipient = Address.parse("0x00000000000000000000000000000000000000a2");
        storage.recipients().addAll(campaign.id(), List.of(NewRecipient.of(recipient)).iterator());
        Batch batch = Batch.planned(new BatchId(UUID.randomUUID()), campaign.id(), 0, List.of(recipient), clock.instant());
        storage.batches().savePlanned(List.of(batch));
        Claim claim = new Claim(batch.id(), "w", clock.instant(), clock.instant().plusSeconds(60));
        storage.batches().claim(claim);
        storage.batches().fail(claim, "given up");

        new CampaignProgress(storage.campaigns(), storage.batches()).refresh(campaign.id());

        assertThat(storage.webhooks().eventsOf(campaign.id())).extracting(e -> e.type())
                .containsExactly(WebhookEventType.BATCH_FAILED, WebhookEventType.CAMPAIGN_FAILED);
    }
}
