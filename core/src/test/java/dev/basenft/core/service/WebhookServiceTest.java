package dev.basenft.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.ChainId;
import dev.basenft.core.model.Fid;
import dev.basenft.core.model.InvalidArgumentException;
import dev.basenft.core.model.Webhook;
import dev.basenft.core.model.WebhookEventType;
import dev.basenft.core.model.WebhookId;
import dev.basenft.core.port.in.DeleteWebhookUseCase.DeleteWebhookCommand;
import dev.basenft.core.port.in.ReadWebhooksQuery.DeliveriesQuery;
import dev.basenft.core.port.in.RegisterWebhookUseCase.RegisterWebhookCommand;
import dev.basenft.core.port.in.TestWebhookUseCase.TestWebhookCommand;
import dev.basenft.core.port.in.WebhookNotFoundException;
import dev.basenft.core.testing.InMemoryStorage;
import dev.basenft.core.testing.MutableClock;
import dev.basenft.core.testing.SequentialIds;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@link WebhookService}: what a registration accepts and refuses, and that other owners' webhooks read as missing. */
class WebhookServiceTest {

    static final Fid ALICE = new Fid(7);
    static final Fid BOB = new Fid(8);

    final MutableClock clock = new MutableClock();
    final InMemoryStorage storage = new InMemoryStorage(clock);
    final SequentialIds ids = new SequentialIds();

    WebhookService service(boolean allowPlainHttp) {
        WebhookSettings d = WebhookSettings.defaults();
        return new WebhookService(storage.webhooks(), storage.campaigns(), ids, clock,
                new WebhookSettings(allowPlainHttp, d.maxAttempts(), d.firstBackoff(), d.maxBackoff(), d.timeout(),
                        d.lease(), d.pollInterval()));
    }

    CampaignId campaignOf(Fid owner) {
        Campaign campaign = Campaign.draft(new CampaignId(UUID.randomUUID()), owner, "Drop", "DRP", "", "ipfs://x/",
                ChainId.BASE, clock.instant());
        storage.campaigns().create(campaign);
        return campaign.id();
    }

    static RegisterWebhookCommand command(Fid owner, String url, List<String> events, Optional<CampaignId> campaign) {
        return new RegisterWebhookCommand(owner, url, events, campaign);
    }

    @Test
    void registersWithAFreshSecretThatToStringHides() {
        CampaignId campaign = campaignOf(ALICE);

        Webhook webhook = service(false).register(command(ALICE, "https://hooks.example.com/x?token=t0ps3cret",
                List.of("batch.failed", "campaign.completed", "batch.failed"), Optional.of(campaign)));

        assertThat(webhook.secret()).startsWith("whsec_");
        assertThat(webhook.events()).containsExactlyInAnyOrder(WebhookEventType.BATCH_FAILED,
                WebhookEventType.CAMPAIGN_COMPLETED);
        assertThat(webhook.toString()).doesNotContain(webhook.secret()).doesNotContain("t0ps3cret")
                .contains("https://hooks.example.com/x?…");
        assertThat(storage.webhooks().find(webhook.id())).contains(webhook);
    }

    @Test
    void plainHttpOnlyForLoopbackUnlessAllowed() {
        for (String url : List.of("http://127.0.0.1:8080/x", "http://localhost/x", "http://[::1]:9/x")) {
            assertThat(service(false).register(command(ALICE, url, List.of("campaign.failed"), Optional.empty())).url())
                    .hasToString(url);
        }
        assertThatThrownBy(() -> service(false).register(command(ALICE, "http://hooks.example.com/x",
                List.of("campaign.failed"), Optional.empty()))).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("https").extracting(e -> ((InvalidArgumentException) e).argument()).isEqualTo("url");
        assertThat(service(true).register(command(ALICE, "http://hooks.example.com/x", List.of("campaign.failed"),
                Optional.empty()))).isNotNull();
    }

    @Test
    void refusesBadInputNamingTheArgumentAndStoresNothing() {
        CampaignId bobs = campaignOf(BOB);
        WebhookService service = service(false);
        List<Object[]> cases = List.of(
                new Object[] {command(ALICE, null, List.of("campaign.failed"), Optional.empty()), "url"},
                new Object[] {command(ALICE, "  ", List.of("campaign.failed"), Optional.empty()), "url"},
                new Object[] {command(ALICE, "mailto:a@b.c", List.of("campaign.failed"), Optional.empty()), "url"},
                new Object[] {command(ALICE, "https:///nohost", List.of("campaign.failed"), Optional.empty()), "url"},
                new Object[] {command(ALICE, "https://a.example/#frag", List.of("campaign.failed"), Optional.empty()), "url"},
                new Object[] {command(ALICE, "https://a.example/x", null, Optional.empty()), "events"},
                new Object[] {command(ALICE, "https://a.example/x", List.of(), Optional.empty()), "events"},
                new Object[] {command(ALICE, "https://a.example/x", List.of("webhook.test"), Optional.empty()), "events"},
                new Object[] {command(ALICE, "https://a.example/x", List.of("CAMPAIGN_FAILED"), Optional.empty()), "events"},
                new Object[] {command(ALICE, "https://a.example/x", List.of("campaign.failed"), Optional.of(bobs)),
                        "campaignId"},
                new Object[] {command(ALICE, "https://a.example/x", List.of("campaign.failed"),
                        Optional.of(new CampaignId(UUID.randomUUID()))), "campaignId"});
        for (Object[] c : cases) {
            assertThatThrownBy(() -> service.register((RegisterWebhookCommand) c[0]))
                    .isInstanceOf(InvalidArgumentException.class)
                    .extracting(e -> ((InvalidArgumentException) e).argument()).isEqualTo(c[1]);
        }
        assertThat(storage.webhooks().byOwner(ALICE)).isEmpty();
    }

    @Test
    void anotherOwnersWebhookReadsAsMissing() {
        WebhookService service = service(false);
        WebhookId id = service.register(command(ALICE, "https://a.example/x", List.of("campaign.failed"),
                Optional.empty())).id();

        assertThatThrownBy(() -> service.delete(new DeleteWebhookCommand(BOB, id)))
                .isInstanceOf(WebhookNotFoundException.class);
        assertThatThrownBy(() -> service.test(new TestWebhookCommand(BOB, id)))
                .isInstanceOf(WebhookNotFoundException.class);
        assertThatThrownBy(() -> service.deliveries(new DeliveriesQuery(BOB, id, Optional.empty(), 10)))
                .isInstanceOf(WebhookNotFoundException.class);
        assertThat(service.webhooks(BOB)).isEmpty();
        assertThat(storage.webhooks().find(id)).isPresent();

        UUID event = service.test(new TestWebhookCommand(ALICE, id));
        assertThat(storage.webhooks().claimDue(clock.instant(), java.time.Duration.ofSeconds(5), 10))
                .singleElement().satisfies(d -> assertThat(d.event().id()).isEqualTo(event));
        service.delete(new DeleteWebhookCommand(ALICE, id));
        assertThat(service.webhooks(ALICE)).isEmpty();
    }
}
