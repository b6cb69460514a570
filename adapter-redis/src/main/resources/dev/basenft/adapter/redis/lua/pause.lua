-- Pauses or resumes the queue the 6.x way: jobs stay in `wait`, `meta.paused` says workers take nothing.
-- Resuming moves back a `paused` list a 5.x client may have left, and re-creates the markers pausing deleted.
--
-- KEYS: 1 meta, 2 marker, 3 events, 4 wait, 5 paused, 6 delayed, 7 prioritized
-- ARGV: 1 'pause' or 'resume', 2 events max length
local metaKey, markerKey, eventsKey, waitKey, pausedKey, delayedKey, prioKey =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7]
if ARGV[1] == 'pause' then
  redis.call('HSET', metaKey, 'paused', 1)
  redis.call('DEL', markerKey)
  redis.call('XADD', eventsKey, 'MAXLEN', '~', ARGV[2], '*', 'event', 'paused')
  return 1
end
redis.call('HDEL', metaKey, 'paused')
while redis.call('RPOPLPUSH', pausedKey, waitKey) do end
if redis.call('LLEN', waitKey) > 0 or redis.call('ZCARD', prioKey) > 0 then
  redis.call('ZADD', markerKey, 0, '0')
end
local first = redis.call('ZRANGE', delayedKey, 0, 0, 'WITHSCORES')
if first[2] then
  redis.call('ZADD', markerKey, string.format('%.0f', math.floor(tonumber(first[2]) / 4096)), '1')
end
redis.call('XADD', eventsKey, 'MAXLEN', '~', ARGV[2], '*', 'event', 'resumed')
return 0
