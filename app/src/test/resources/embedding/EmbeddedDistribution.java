import dev.basenft.adapter.base.rpc.BaseRpcChain;
import dev.basenft.adapter.base.rpc.BaseRpcSettings;
import dev.basenft.adapter.base.rpc.MinterKey;
import dev.basenft.adapter.postgres.PostgresStorage;
import dev.basenft.adapter.redis.RedisDistributionQueue;
import dev.basenft.adapter.redis.RedisQueueSettings;
import dev.basenft.core.breaker.CircuitBreaker;
import dev.basenft.core.breaker.CircuitBreakerConfig;
import dev.basenft.core.model.Address;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.ChainId;
import dev.basenft.core.model.Fid;
import dev.basenft.core.port.in.CreateCampaignUseCase.CreateCampaignCommand;
import dev.basenft.core.port.out.IdGenerator;
import dev.basenft.core.model.BatchId;
import dev.basenft.core.service.BatchProcessor;
import dev.basenft.core.service.CampaignService;
import dev.basenft.core.service.DistributionSettings;
import dev.basenft.core.service.DistributionWorker;
import dev.basenft.core.service.QueueSweep;
import dev.basenft.core.service.WorkerIdentity;
import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.UUID;

/** base-nft inside another service: the stores, queue and chain adapters, core's use cases and its worker. */
public final class EmbeddedDistribution {

    public static void main(String[] args) throws Exception {
        InstantSource clock = InstantSource.system();
        IdGenerator ids = new IdGenerator() {
            public CampaignId newCampaignId() { return new CampaignId(UUID.randomUUID()); }
            public BatchId newBatchId() { return new BatchId(UUID.randomUUID()); }
        };
        ChainId base = new ChainId(8453);
        DistributionSettings settings = DistributionSettings.builder().batchSize(200).build();

        try (PostgresStorage storage = PostgresStorage.builder().url(System.getenv("DATABASE_URL")).build();
             RedisDistributionQueue queue = RedisDistributionQueue.open(
                     RedisQueueSettings.builder().url(System.getenv("REDIS_URL")).build());
             BaseRpcChain chain = BaseRpcChain.connect(BaseRpcSettings.builder()
                     .rpcUrls(List.of(URI.create(System.getenv("BASE_RPC_URL"))))
                     .chainId(base)
                     .minterKey(MinterKey.fromHex(System.getenv("MINTER_PRIVATE_KEY")))
                     .factory(Address.parse(System.getenv("FACTORY_ADDRESS")))
                     .build())) {

            // The use cases your own API calls: create, add recipients, attach, distribute, retry, read.
            CampaignService campaigns = new CampaignService(storage.campaigns(), storage.recipients(), storage.batches(),
                    storage.transactionLedger(), queue, chain, ids, clock, base, settings);
            var campaign = campaigns.create(new CreateCampaignCommand(new Fid(1), "Launch drop", "DROP", "", "ipfs://drop/"));
            System.out.println("created " + campaign.id());

            // The worker: exactly-once minting from the queue, healing the queue from the stores every minute.
            BatchProcessor processor = new BatchProcessor(storage.campaigns(), storage.batches(),
                    storage.transactionLedger(), chain, new CircuitBreaker(CircuitBreakerConfig.DEFAULTS, clock), clock,
                    settings, new WorkerIdentity("my-service-1"));
            DistributionWorker worker = new DistributionWorker(queue, processor, storage.transactionLedger(), chain, 4,
                    new QueueSweep(storage.batches(), queue), Duration.ofMinutes(1));
            worker.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    worker.stop(Duration.ofSeconds(30));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            Thread.currentThread().join();
        }
    }
}
