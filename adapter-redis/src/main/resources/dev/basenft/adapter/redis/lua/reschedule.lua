-- Puts a taken job back for later, if the caller still holds its lock: a retry with backoff (uses an attempt: atm+1,
-- failedReason, stacktrace) or a plain delay (uses none). A due time in the past or now makes it waiting at once.
--
-- KEYS: 1 active, 2 delayed, 3 wait, 4 prioritized, 5 pc, 6 marker, 7 meta, 8 events, 9 stalled
-- ARGV: 1 key prefix, 2 jobId, 3 lock token, 4 now ms, 5 due time ms, 6 '1' to use an attempt, 7 failed reason,
--       8 stack trace (JSON array), 9 events max length
-- Returns 0 when done; -1 job missing, -2 lock missing, -6 lock held by another token, -3 job not active.
local activeKey, delayedKey, waitKey, prioKey, pcKey, markerKey, metaKey, eventsKey, stalledKey =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9]
local prefix, jobId, token = ARGV[1], ARGV[2], ARGV[3]
local now, due, useAttempt, maxEvents = tonumber(ARGV[4]), tonumber(ARGV[5]), ARGV[6] == '1', ARGV[9]
local jobKey = prefix .. jobId
local lockKey = jobKey .. ':lock'

if redis.call('EXISTS', jobKey) == 0 then return -1 end
local lock = redis.call('GET', lockKey)
if not lock then return -2 end
if lock ~= token then return -6 end
if redis.call('LREM', activeKey, -1, jobId) == 0 then return -3 end
redis.call('DEL', lockKey)
redis.call('SREM', stalledKey, jobId)

if useAttempt then
  redis.call('HINCRBY', jobKey, 'atm', 1)
  redis.call('HSET', jobKey, 'failedReason', ARGV[7], 'stacktrace', ARGV[8])
end

local paused = redis.call('HEXISTS', metaKey, 'paused') == 1
if due > now then
  local base = due * 4096
  local same = redis.call('ZCOUNT', delayedKey, base, base + 4095)
  redis.call('ZADD', delayedKey, string.format('%.0f', base + math.min(same, 4095)), jobId)
  redis.call('HSET', jobKey, 'delay', string.format('%.0f', due - now))
  redis.call('XADD', eventsKey, 'MAXLEN', '~', maxEvents, '*', 'event', 'delayed', 'jobId', jobId,
    'delay', string.format('%.0f', due))
  if not paused then
    -- Marker "1" carries the earliest due time, so idle workers sleep exactly until then.
    local first = redis.call('ZRANGE', delayedKey, 0, 0, 'WITHSCORES')
    redis.call('ZADD', markerKey, string.format('%.0f', math.floor(tonumber(first[2]) / 4096)), '1')
  end
else
  local priority = tonumber(redis.call('HGET', jobKey, 'priority') or '0') or 0
  if priority > 0 then
    local counter = redis.call('INCR', pcKey)
    redis.call('ZADD', prioKey, string.format('%.0f', priority * 4294967296 + counter), jobId)
  else
    redis.call('LPUSH', waitKey, jobId)
  end
  redis.call('XADD', eventsKey, 'MAXLEN', '~', maxEvents, '*', 'event', 'waiting', 'jobId', jobId,
    'prev', useAttempt and 'failed' or 'active')
  if not paused then
    redis.call('ZADD', markerKey, 0, '0')
  end
end
return 0
