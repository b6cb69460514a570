// The Node side of adapter-redis's interop tests: real bullmq against the Java queue on the same Redis.
// Usage: node interop.mjs <add|work|counts|workers> '<json arguments>'
// Connection and queue from the environment: REDIS_HOST, REDIS_PORT, REDIS_DB, REDIS_PASSWORD, BULL_PREFIX, QUEUE_NAME;
// BULLMQ=5 uses bullmq 5.x instead of 6.x. Prints one JSON object per line on stdout; exits 0 when done.
const major = process.env.BULLMQ === '5' ? '5' : '6';
const { Queue, Worker } = await import(major === '5' ? 'bullmq5' : 'bullmq');

const connection = {
  host: process.env.REDIS_HOST ?? '127.0.0.1',
  port: Number(process.env.REDIS_PORT ?? 6379),
  db: Number(process.env.REDIS_DB ?? 0),
  password: process.env.REDIS_PASSWORD || undefined,
  maxRetriesPerRequest: null,
};
const prefix = process.env.BULL_PREFIX ?? 'bull';
const queueName = process.env.QUEUE_NAME ?? 'distribution';
const [command, rawArgs] = process.argv.slice(2);
const args = JSON.parse(rawArgs ?? '{}');
const print = (object) => process.stdout.write(JSON.stringify(object) + '\n');

if (command === 'add') {
  // args: {jobs: [{name, data, opts}]}
  const queue = new Queue(queueName, { connection, prefix });
  for (const job of args.jobs) {
    const added = await queue.add(job.name, job.data, job.opts ?? {});
    print({ added: added.id });
  }
  await queue.close();
} else if (command === 'counts') {
  const queue = new Queue(queueName, { connection, prefix });
  print(await queue.getJobCounts('wait', 'active', 'delayed', 'completed', 'failed', 'prioritized'));
  await queue.close();
} else if (command === 'workers') {
  // What Bull Board and operators' scripts show: the connections bullmq recognises as this queue's workers.
  const queue = new Queue(queueName, { connection, prefix });
  const workers = await queue.getWorkers();
  print({ count: workers.length, names: workers.map((worker) => worker.rawname).sort() });
  await queue.close();
} else if (command === 'work') {
  // args: {expect: N finished jobs, failOnce: [jobIds], concurrency, timeoutMs, holdMs}
  const failOnce = new Set(args.failOnce ?? []);
  let finished = 0;
  let done;
  const allDone = new Promise((resolve) => { done = resolve; });
  const worker = new Worker(queueName, async (job) => {
    print({ event: 'processing', id: job.id, name: job.name, data: job.data, attemptsMade: job.attemptsMade,
      opts: job.opts, at: Date.now() });
    if (args.holdMs) {
      await new Promise((resolve) => setTimeout(resolve, args.holdMs));
    }
    if (failOnce.has(job.id) && job.attemptsMade === 0) {
      throw new Error('failing once on purpose');
    }
    return { by: `node-bullmq-${major}` };
  }, { connection, prefix, concurrency: args.concurrency ?? 1, autorun: true });
  const settle = () => { finished += 1; if (finished >= args.expect) done(); };
  worker.on('completed', (job) => { print({ event: 'completed', id: job.id, attemptsMade: job.attemptsMade }); settle(); });
  worker.on('failed', (job, error) => {
    print({ event: 'failed', id: job?.id, attemptsMade: job?.attemptsMade, reason: error.message });
    if (job && job.attemptsMade >= (job.opts.attempts || 1)) settle();
  });
  worker.on('error', (error) => print({ event: 'error', message: String(error) }));
  const timer = setTimeout(() => { print({ event: 'timeout', finished }); done(); }, args.timeoutMs ?? 20000);
  await allDone;
  clearTimeout(timer);
  await worker.close();
  print({ event: 'closed', finished });
} else {
  console.error(`unknown command ${command}`);
  process.exit(2);
}
