// bullmq's side of adapter-redis's benchmark (run by QueueBenchmark through bench.sh, not by the tests).
// Usage: node bench.mjs <jobs> <prefix>; Redis from REDIS_HOST, REDIS_PORT, REDIS_DB; BULLMQ=5 for 5.x.
// The same work as the Java side: jobs named "distribute" with {"batchId": uuid} data, custom job ids, 3 attempts,
// keep 10,000 completed. Prints one JSON line per measurement: {"op", "jobs", "ms", "perSec"}.
import { randomUUID } from 'node:crypto';

const { Queue, Worker } = await import(process.env.BULLMQ === '5' ? 'bullmq5' : 'bullmq');
const connection = {
  host: process.env.REDIS_HOST ?? '127.0.0.1',
  port: Number(process.env.REDIS_PORT ?? 6379),
  db: Number(process.env.REDIS_DB ?? 0),
  maxRetriesPerRequest: null,
};
const jobs = Number(process.argv[2] ?? 20000);
const prefix = process.argv[3] ?? 'bench';
const opts = { attempts: 3, backoff: { type: 'exponential', delay: 5000 }, removeOnComplete: 10000, removeOnFail: 10000 };

function newJobs() {
  return Array.from({ length: jobs }, () => {
    const batchId = randomUUID();
    return { name: 'distribute', data: { batchId }, opts: { ...opts, jobId: `batch_${batchId}_0` } };
  });
}

function report(op, ms) {
  process.stdout.write(JSON.stringify({ op, jobs, ms, perSec: Math.round(jobs / (ms / 1000)) }) + '\n');
}

async function clean(queue) {
  await queue.obliterate({ force: true });
}

async function addBulk(queue) {
  const list = newJobs();
  const start = performance.now();
  for (let i = 0; i < list.length; i += 1000) {
    await queue.addBulk(list.slice(i, i + 1000));
  }
  report('addBulk', performance.now() - start);
}

async function addSingle(queue) {
  const list = newJobs();
  const start = performance.now();
  for (const job of list) {
    await queue.add(job.name, job.data, job.opts);
  }
  report('add', performance.now() - start);
}

async function processAll(queueName, concurrency) {
  const queue = new Queue(queueName, { connection, prefix });
  const list = newJobs();
  for (let i = 0; i < list.length; i += 1000) {
    await queue.addBulk(list.slice(i, i + 1000));
  }
  let done = 0;
  let finish;
  const finished = new Promise((resolve) => { finish = resolve; });
  const start = performance.now();
  const worker = new Worker(queueName, async () => 'ok', { connection, prefix, concurrency });
  worker.on('completed', () => { done += 1; if (done === jobs) finish(); });
  await finished;
  const ms = performance.now() - start;
  await worker.close();
  report(`process-c${concurrency}`, ms);
  await clean(queue);
  await queue.close();
}

const addQueue = new Queue('bench-add', { connection, prefix });
await addBulk(addQueue);
await clean(addQueue);
await addSingle(addQueue);
await clean(addQueue);
await addQueue.close();
await processAll('bench-c1', 1);
await processAll('bench-c50', 50);
