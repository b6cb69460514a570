-- Reads the queue's counts in one atomic step (no writes).
--
-- KEYS: 1 wait, 2 paused, 3 active, 4 delayed, 5 prioritized, 6 completed, 7 failed, 8 meta
-- Returns {waiting, active, delayed, prioritized, completed, failed, paused (1 or 0)}.
return {
  redis.call('LLEN', KEYS[1]) + redis.call('LLEN', KEYS[2]),
  redis.call('LLEN', KEYS[3]),
  redis.call('ZCARD', KEYS[4]),
  redis.call('ZCARD', KEYS[5]),
  redis.call('ZCARD', KEYS[6]),
  redis.call('ZCARD', KEYS[7]),
  redis.call('HEXISTS', KEYS[8], 'paused')
}
