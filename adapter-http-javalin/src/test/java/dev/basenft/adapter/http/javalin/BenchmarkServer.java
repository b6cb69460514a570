package dev.basenft.adapter.http.javalin;

import dev.basenft.adapter.http.javalin.support.JwksServer;
import dev.basenft.adapter.http.javalin.support.TestKey;
import dev.basenft.adapter.http.javalin.support.Tokens;
import dev.basenft.core.model.Address;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.ChainId;
import dev.basenft.core.model.Fid;
import dev.basenft.core.model.NewRecipient;
import dev.basenft.core.port.in.AddRecipientsUseCase.AddRecipientsCommand;
import dev.basenft.core.port.in.AttachContractUseCase.AttachContractCommand;
import dev.basenft.core.port.in.CreateCampaignUseCase.CreateCampaignCommand;
import dev.basenft.core.port.in.StartDistributionUseCase.StartDistributionCommand;
import dev.basenft.core.service.CampaignService;
import dev.basenft.core.service.DistributionControl;
import dev.basenft.core.service.WebhookService;
import dev.basenft.core.service.WebhookSettings;
import dev.basenft.core.service.DistributionSettings;
import dev.basenft.core.testing.FakeChain;
import dev.basenft.core.testing.InMemoryDistributionQueue;
import dev.basenft.core.testing.InMemoryStorage;
import dev.basenft.core.testing.SequentialIds;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The server side of the {@code GET /api/campaigns/{id}} benchmark (a command, not a test; see the module README and
 * {@code bench/get-campaign.sh}). Serves the real {@link HttpApi} with real Quick Auth (Ed25519 JWT verified on every
 * request against a local JWKS) over core's {@code CampaignService} and core's in-memory ports, with one campaign of 200 recipients
 * planned into batches. Writes the campaign URL and a one-hour bearer token to files (not stdout) for the load generator.
 *
 * <p>Usage: {@code BenchmarkServer <port> <output dir> [distinct tokens]}; runs until killed. With more than one distinct token
 * it also writes {@code tokens}, one per line (each differs by {@code jti}), so a load generator can send a token the server
 * has never verified on every request: the worst case for authentication.
 */
public final class BenchmarkServer {

    private BenchmarkServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path out = Path.of(args[1]);
        Files.createDirectories(out);

        JwksServer jwks = new JwksServer();
        TestKey key = TestKey.ed25519("bench");
        jwks.publish(key);
        String domain = "bench.example.com";
        InstantSource clock = InstantSource.system();

        InMemoryStorage storage = new InMemoryStorage(clock);
        FakeChain chain = new FakeChain(ChainId.BASE);
        InMemoryDistributionQueue queue = InMemoryDistributionQueue.withDefaults(clock);
        CampaignService service = new CampaignService(storage.campaigns(), storage.recipients(), storage.batches(),
                storage.ledger(), queue, chain, new SequentialIds(), clock,
                ChainId.BASE, DistributionSettings.DEFAULTS);
        Fid owner = new Fid(1000);
        CampaignId id = service.create(new CreateCampaignCommand(owner, "Bench", "BNC", "benchmark", "ipfs://x/")).id();
        List<NewRecipient> recipients = new ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            recipients.add(new NewRecipient(Address.parse(String.format("0x%040x", i)), Optional.of(new Fid(i))));
        }
        service.add(new AddRecipientsCommand(owner, id, recipients));
        FakeChain.Deployment deployment = chain.deployCollection(Address.parse("0x00000000000000000000000000000000000000aa"),
                id);
        service.attach(new AttachContractCommand(owner, id, deployment.transaction()));
        service.start(new StartDistributionCommand(owner, id));

        HttpApi api = HttpApi.builder()
                .useCases(service)
                .controls(new DistributionControl(storage.campaigns(), storage.recipients(), storage.batches(), queue))
                .webhooks(new WebhookService(storage.webhooks(), storage.campaigns(), new SequentialIds(), clock,
                        WebhookSettings.defaults()))
                .estimateCost(TestServer.estimator(service, chain))
                .idempotencyRecords(storage.idempotency())
                .authenticator(QuickAuthAuthenticator.create(new AuthSettings(jwks.origin(), domain, false, "production"),
                        clock))
                .settings(HttpSettings.builder().host("127.0.0.1").port(port).build())
                .build()
                .start();

        Instant now = clock.instant();
        String token = Tokens.sign(key, Tokens.claims(jwks.origin().toString(), domain, owner.value(), now,
                now.plusSeconds(3600)));
        Path tokenFile = out.resolve("token");
        Files.writeString(tokenFile, token, StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
        int distinct = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        if (distinct > 1) {
            StringBuilder tokens = new StringBuilder();
            for (int i = 0; i < distinct; i++) {
                var claims = Tokens.claims(jwks.origin().toString(), domain, owner.value(), now, now.plusSeconds(3600));
                claims.put("jti", Integer.toString(i));
                tokens.append(Tokens.sign(key, claims)).append('\n');
            }
            Path tokensFile = out.resolve("tokens");
            Files.writeString(tokensFile, tokens, StandardCharsets.US_ASCII);
            Files.setPosixFilePermissions(tokensFile, PosixFilePermissions.fromString("rw-------"));
        }
        Files.writeString(out.resolve("url"), "http://127.0.0.1:" + api.port() + "/api/campaigns/" + id,
                StandardCharsets.US_ASCII);
        Files.writeString(out.resolve("ready"), "ready", StandardCharsets.US_ASCII);
        Thread.currentThread().join();
    }
}
