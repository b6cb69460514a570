package dev.basenft.core.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basenft.core.model.Batch;
import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.CampaignStatus;
import dev.basenft.core.model.Fid;
import dev.basenft.core.model.Webhook;
import dev.basenft.core.model.WebhookAttempt;
import dev.basenft.core.model.WebhookAttempt.Outcome;
import dev.basenft.core.model.WebhookEvent;
import dev.basenft.core.model.WebhookEventType;
import dev.basenft.core.model.WebhookId;
import dev.basenft.core.port.out.Claim;
import dev.basenft.core.port.out.Webhooks.DueDelivery;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link dev.basenft.core.port.out.Webhooks} and of the outbox the campaign and batch stores write: an event
 * recorded exactly when (and only when) its state change is made, fanned out once per matching webhook, handed to one
 * claimant at a time, handed out again when a claim lapses (with the same event id), settled by its tries.
 *
 * <p>The store may hold other tests' deliveries, so every assertion looks only at this test's webhooks.
 */
public abstract class WebhooksContract extends StorageContract {

    private static final Duration DELIVERY_LEASE = Duration.ofSeconds(30);
    private static final Set<WebhookEventType> ALL = EnumSet.copyOf(WebhookEventType.SUBSCRIBABLE);

    private Webhook newWebhook(Fid owner, Optional<CampaignId> campaign, Set<WebhookEventType> events) {
        Webhook webhook = new Webhook(new WebhookId(UUID.randomUUID()), owner, URI.create("https://hooks.example.com/x"),
                events, campaign, "whsec_" + UUID.randomUUID().toString().replace("-", ""), T0);
        store.webhooks().create(webhook);
        return webhook;
    }

    private List<DueDelivery> claimOf(Instant now, Webhook... webhooks) {
        Set<WebhookId> ids = java.util.Arrays.stream(webhooks).map(Webhook::id).collect(Collectors.toSet());
        return store.webhooks().claimDue(now, DELIVERY_LEASE, 1_000).stream()
                .filter(d -> ids.contains(d.webhook().id())).toList();
    }

    private Campaign processing(Fid owner) {
        Campaign campaign = newCampaign(owner);
        store.campaigns().updateStatus(campaign.id(), CampaignStatus.DRAFT, CampaignStatus.PROCESSING);
        return campaign;
    }

    private static WebhookAttempt attempt(DueDelivery d, Outcome outcome, Instant at) {
        return new WebhookAttempt(0, d.event().id(), d.event().type(), d.attempt(),
                outcome == Outcome.DELIVERED ? Optional.of(204) : Optional.of(503),
                outcome == Outcome.DELIVERED ? Optional.empty() : Optional.of("HTTP 503"), Duration.ofMillis(12), at,
                outcome);
    }

    @Test
    void storesAndFindsWebhooksWithTheirSecret() {
        Fid owner = randomOwner();
        Campaign campaign = newCampaign(owner);
        Webhook wide = newWebhook(owner, Optional.empty(), ALL);
        Webhook one = newWebhook(owner, Optional.of(campaign.id()), EnumSet.of(WebhookEventType.BATCH_FAILED));

        assertThat(store.webhooks().find(one.id())).contains(one);
        assertThat(store.webhooks().byOwner(owner)).containsExactlyInAnyOrder(wide, one);
        assertThat(store.webhooks().byOwner(randomOwner())).isEmpty();
        assertThatThrownBy(() -> store.webhooks().create(one)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aCampaignMovedToCompletedOrFailedRecordsOneEventWithTheChange() {
        Campaign done = processing(randomOwner());
        Campaign failed = processing(randomOwner());
        assertThat(store.webhooks().eventsOf(done.id())).isEmpty();

        assertThat(store.campaigns().updateStatus(done.id(), CampaignStatus.PROCESSING, CampaignStatus.COMPLETED)).isTrue();
        assertThat(store.campaigns().updateStatus(done.id(), CampaignStatus.PROCESSING, CampaignStatus.COMPLETED)).isFalse();
        assertThat(store.campaigns().updateStatus(failed.id(), CampaignStatus.PROCESSING, CampaignStatus.FAILED)).isTrue();

        assertThat(store.webhooks().eventsOf(done.id())).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(WebhookEventType.CAMPAIGN_COMPLETED);
            assertThat(e.campaignId()).contains(done.id());
            assertThat(e.data()).containsEntry("status", "COMPLETED");
        });
        assertThat(store.webhooks().eventsOf(failed.id())).singleElement()
                .satisfies(e -> assertThat(e.type()).isEqualTo(WebhookEventType.CAMPAIGN_FAILED));
    }

    @Test
    void aBatchFailedRecordsAnEventOnlyWhenTheFailIsMade() {
        Batch batch = plannedBatch(2);
        Claim claim = claimAt(batch, "worker-a", T0);
        store.batches().claim(claim);
        Claim stale = claimAt(batch, "worker-b", T0);

        assertThat(store.batches().fail(stale, "not mine")).isFalse();
        assertThat(store.webhooks().eventsOf(batch.campaignId())).isEmpty();
        assertThat(store.batches().fail(claim, "Transaction reverted: paused")).isTrue();

        assertThat(store.webhooks().eventsOf(batch.campaignId())).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(WebhookEventType.BATCH_FAILED);
            assertThat(e.data()).containsEntry("batchId", batch.id().toString())
                    .containsEntry("index", (long) batch.index())
                    .containsEntry("run", (long) batch.run())
                    .containsEntry("error", "Transaction reverted: paused");
        });
    }

    @Test
    void dispatchFansAnEventOutOncePerMatchingWebhook() {
        Fid owner = randomOwner();
        Campaign campaign = processing(owner);
        Campaign other = newCampaign(owner);
        Webhook wide = newWebhook(owner, Optional.empty(), ALL);
        Webhook forIt = newWebhook(owner, Optional.of(campaign.id()), EnumSet.of(WebhookEventType.CAMPAIGN_COMPLETED));
        Webhook forOther = newWebhook(owner, Optional.of(other.id()), ALL);
        Webhook wrongType = newWebhook(owner, Optional.empty(), EnumSet.of(WebhookEventType.BATCH_FAILED));
        Webhook stranger = newWebhook(randomOwner(), Optional.empty(), ALL);
        store.campaigns().updateStatus(campaign.id(), CampaignStatus.PROCESSING, CampaignStatus.COMPLETED);
        WebhookEvent event = store.webhooks().eventsOf(campaign.id()).get(0);

        store.webhooks().dispatch(T0, 10_000);
        store.webhooks().dispatch(T0, 10_000);
        List<DueDelivery> due = claimOf(T0, wide, forIt, forOther, wrongType, stranger);

        assertThat(due).extracting(d -> d.webhook().id()).containsExactlyInAnyOrder(wide.id(), forIt.id());
        assertThat(due).allSatisfy(d -> {
            assertThat(d.event()).isEqualTo(event);
            assertThat(d.attempt()).isEqualTo(1);
        });
    }

    @Test
    void aClaimedDeliveryIsHandedOutAgainOnlyOnceItsLeaseLapsesWithTheSameEventId() {
        Fid owner = randomOwner();
        Campaign campaign = processing(owner);
        Webhook webhook = newWebhook(owner, Optional.empty(), ALL);
        store.campaigns().updateStatus(campaign.id(), CampaignStatus.PROCESSING, CampaignStatus.FAILED);
        store.webhooks().dispatch(T0, 10_000);

        DueDelivery first = claimOf(T0, webhook).get(0);
        assertThat(claimOf(T0.plusSeconds(1), webhook)).isEmpty();
        DueDelivery again = claimOf(T0.plus(DELIVERY_LEASE).plusSeconds(1), webhook).get(0);

        assertThat(again.deliveryId()).isEqualTo(first.deliveryId());
        assertThat(again.event().id()).isEqualTo(first.event().id());
        assertThat(again.attempt()).isEqualTo(2);
    }

    @Test
    void aRetryIsDueAtItsTimeAndADeliveredOneIsFinalAndTheLogIsNewestFirst() {
        Fid owner = randomOwner();
        Campaign campaign = processing(owner);
        Webhook webhook = newWebhook(owner, Optional.empty(), ALL);
        store.campaigns().updateStatus(campaign.id(), CampaignStatus.PROCESSING, CampaignStatus.COMPLETED);
        store.webhooks().dispatch(T0, 10_000);
        DueDelivery first = claimOf(T0, webhook).get(0);
        Instant retryAt = T0.plusSeconds(10);

        assertThatThrownBy(() -> store.webhooks().recordAttempt(first.deliveryId(), attempt(first, Outcome.RETRYING, T0),
                Optional.empty())).isInstanceOf(IllegalArgumentException.class);
        assertThat(store.webhooks().recordAttempt(first.deliveryId(), attempt(first, Outcome.RETRYING, T0),
                Optional.of(retryAt))).isTrue();
        assertThat(claimOf(retryAt.minusMillis(1), webhook)).isEmpty();
        DueDelivery second = claimOf(retryAt, webhook).get(0);
        assertThat(second.attempt()).isEqualTo(2);
        assertThat(store.webhooks().recordAttempt(second.deliveryId(), attempt(second, Outcome.DELIVERED, retryAt),
                Optional.empty())).isTrue();
        assertThat(store.webhooks().recordAttempt(second.deliveryId(), attempt(second, Outcome.DELIVERED, retryAt),
                Optional.empty())).isFalse();
        assertThat(claimOf(retryAt.plus(Duration.ofDays(1)), webhook)).isEmpty();

        List<WebhookAttempt> log = store.webhooks().attempts(webhook.id(), Optional.empty(), 10);
        assertThat(log).extracting(WebhookAttempt::attempt).containsExactly(2, 1);
        assertThat(log).extracting(WebhookAttempt::outcome).containsExactly(Outcome.DELIVERED, Outcome.RETRYING);
        assertThat(log.get(1).statusCode()).contains(503);
        assertThat(log.get(1).error()).contains("HTTP 503");
        assertThat(log.get(0).sequence()).isGreaterThan(log.get(1).sequence());
        assertThat(store.webhooks().attempts(webhook.id(), Optional.empty(), 1)).extracting(WebhookAttempt::attempt)
                .containsExactly(2);
        assertThat(store.webhooks().attempts(webhook.id(), Optional.of(log.get(0).sequence()), 10))
                .extracting(WebhookAttempt::attempt).containsExactly(1);
    }

    @Test
    void aTestEventGoesToItsWebhookAloneAndAMissingWebhookGetsNone() {
        Fid owner = randomOwner();
        Webhook target = newWebhook(owner, Optional.empty(), ALL);
        Webhook bystander = newWebhook(owner, Optional.empty(), ALL);

        WebhookEvent event = store.webhooks().recordTest(target.id(), T0).orElseThrow();
        store.webhooks().dispatch(T0, 10_000);

        assertThat(event.type()).isEqualTo(WebhookEventType.WEBHOOK_TEST);
        assertThat(claimOf(T0, target, bystander)).singleElement().satisfies(d -> {
            assertThat(d.webhook().id()).isEqualTo(target.id());
            assertThat(d.event().id()).isEqualTo(event.id());
        });
        assertThat(store.webhooks().recordTest(new WebhookId(UUID.randomUUID()), T0)).isEmpty();
    }

    @Test
    void deletingAWebhookDropsItsDeliveriesAndLog() {
        Fid owner = randomOwner();
        Webhook webhook = newWebhook(owner, Optional.empty(), ALL);
        store.webhooks().recordTest(webhook.id(), T0);
        DueDelivery due = claimOf(T0, webhook).get(0);
        store.webhooks().recordAttempt(due.deliveryId(), attempt(due, Outcome.RETRYING, T0), Optional.of(T0));

        assertThat(store.webhooks().delete(webhook.id())).isTrue();
        assertThat(store.webhooks().delete(webhook.id())).isFalse();

        assertThat(store.webhooks().find(webhook.id())).isEmpty();
        assertThat(store.webhooks().attempts(webhook.id(), Optional.empty(), 10)).isEmpty();
        assertThat(store.webhooks().recordAttempt(due.deliveryId(), attempt(due, Outcome.DELIVERED, T0), Optional.empty()))
                .isFalse();
    }

    @Test
    void racingClaimantsGetEachDeliveryOnce() throws Exception {
        Fid owner = randomOwner();
        Webhook webhook = newWebhook(owner, Optional.empty(), ALL);
        for (int i = 0; i < 20; i++) {
            store.webhooks().recordTest(webhook.id(), T0);
        }

        List<List<DueDelivery>> claims = race(8, i -> claimOf(T0, webhook));

        List<Long> ids = claims.stream().flatMap(List::stream).map(DueDelivery::deliveryId).toList();
        assertThat(ids).hasSize(20).doesNotHaveDuplicates();
    }
}
