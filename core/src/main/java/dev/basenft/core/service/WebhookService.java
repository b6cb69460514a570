package dev.basenft.core.service;

import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.Fid;
import dev.basenft.core.model.InvalidArgumentException;
import dev.basenft.core.model.Webhook;
import dev.basenft.core.model.WebhookAttempt;
import dev.basenft.core.model.WebhookEventType;
import dev.basenft.core.model.WebhookId;
import dev.basenft.core.port.in.DeleteWebhookUseCase;
import dev.basenft.core.port.in.ReadWebhooksQuery;
import dev.basenft.core.port.in.RegisterWebhookUseCase;
import dev.basenft.core.port.in.TestWebhookUseCase;
import dev.basenft.core.port.in.WebhookNotFoundException;
import dev.basenft.core.port.out.Campaigns;
import dev.basenft.core.port.out.IdGenerator;
import dev.basenft.core.port.out.Webhooks;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.InstantSource;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * The webhook use cases: register (checking the URL, the events and the campaign), list, delete, read the delivery log,
 * send a test event. Another owner's webhook or campaign is reported as missing, as campaigns are. Thread-safe.
 */
public final class WebhookService implements RegisterWebhookUseCase, ReadWebhooksQuery, DeleteWebhookUseCase,
        TestWebhookUseCase {

    /** The longest URL accepted. */
    public static final int MAX_URL_LENGTH = 2_000;

    private static final System.Logger LOG = System.getLogger("dev.basenft.webhooks");

    private final Webhooks webhooks;
    private final Campaigns campaigns;
    private final IdGenerator ids;
    private final InstantSource clock;
    private final WebhookSettings settings;

    @Inject
    public WebhookService(Webhooks webhooks, Campaigns campaigns, IdGenerator ids, InstantSource clock,
            WebhookSettings settings) {
        this.webhooks = Objects.requireNonNull(webhooks, "webhooks");
        this.campaigns = Objects.requireNonNull(campaigns, "campaigns");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public Webhook register(RegisterWebhookCommand command) {
        Objects.requireNonNull(command, "command");
        URI url = url(command.url());
        Set<WebhookEventType> events = events(command.events());
        command.campaignId().ifPresent(id -> {
            boolean owned = campaigns.find(id).map(Campaign::owner).filter(command.owner()::equals).isPresent();
            if (!owned) {
                throw new InvalidArgumentException("campaignId", "campaignId " + id + " names no campaign of yours");
            }
        });
        Webhook webhook = new Webhook(ids.newWebhookId(), command.owner(), url, events, command.campaignId(),
                ids.newWebhookSecret(), clock.instant());
        webhooks.create(webhook);
        // The record's toString hides the secret.
        LOG.log(System.Logger.Level.INFO, "Webhook registered: {0}", webhook);
        return webhook;
    }

    @Override
    public List<Webhook> webhooks(Fid owner) {
        Objects.requireNonNull(owner, "owner");
        return webhooks.byOwner(owner);
    }

    @Override
    public List<WebhookAttempt> deliveries(DeliveriesQuery query) {
        Objects.requireNonNull(query, "query");
        owned(query.owner(), query.webhookId());
        return webhooks.attempts(query.webhookId(), query.before(), query.limit());
    }

    @Override
    public void delete(DeleteWebhookCommand command) {
        Objects.requireNonNull(command, "command");
        owned(command.owner(), command.webhookId());
        webhooks.delete(command.webhookId());
        LOG.log(System.Logger.Level.INFO, "Webhook deleted: {0}", command.webhookId());
    }

    @Override
    public UUID test(TestWebhookCommand command) {
        Objects.requireNonNull(command, "command");
        owned(command.owner(), command.webhookId());
        return webhooks.recordTest(command.webhookId(), clock.instant())
                .orElseThrow(() -> new WebhookNotFoundException(command.webhookId()))
                .id();
    }

    private Webhook owned(Fid owner, WebhookId id) {
        return webhooks.find(id).filter(w -> w.owner().equals(owner))
                .orElseThrow(() -> new WebhookNotFoundException(id));
    }

    private URI url(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidArgumentException("url", "url is required");
        }
        if (text.length() > MAX_URL_LENGTH) {
            throw new InvalidArgumentException("url", "url must be at most " + MAX_URL_LENGTH + " characters");
        }
        URI url;
        try {
            url = new URI(text);
        } catch (URISyntaxException e) {
            throw new InvalidArgumentException("url", "url is not a valid URL: " + e.getReason());
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!url.isAbsolute() || url.getHost() == null || !(scheme.equals("http") || scheme.equals("https"))) {
            throw new InvalidArgumentException("url", "url must be an absolute http:// or https:// URL with a host");
        }
        if (scheme.equals("http") && !settings.allowPlainHttp() && !loopback(url.getHost())) {
            throw new InvalidArgumentException("url", "url must use https:// (plain http is accepted only for loopback"
                    + " hosts, or for any host when APP_ENV=development)");
        }
        return url;
    }

    /** Loopback by its name alone: resolving it here would let DNS decide, and change, what is accepted. */
    static boolean loopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.startsWith("127.") || h.equals("[::1]");
    }

    private static Set<WebhookEventType> events(List<String> names) {
        if (names == null || names.isEmpty()) {
            throw new InvalidArgumentException("events", "events must name at least one of campaign.completed,"
                    + " campaign.failed, batch.failed");
        }
        Set<WebhookEventType> types = EnumSet.noneOf(WebhookEventType.class);
        for (String name : names) {
            WebhookEventType type = WebhookEventType.fromWireName(name)
                    .filter(WebhookEventType.SUBSCRIBABLE::contains)
                    .orElseThrow(() -> new InvalidArgumentException("events", "events: \"" + name
                            + "\" is not one of campaign.completed, campaign.failed, batch.failed"));
            types.add(type);
        }
        return types;
    }
}
