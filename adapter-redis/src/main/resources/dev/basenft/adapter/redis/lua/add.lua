-- Adds jobs to the queue, BullMQ layout. A job whose hash exists already is left alone and reported as `duplicated`:
-- that is what makes enqueueing a batch twice a no-op (layer 2 of docs/architecture.md#exactly-once).
--
-- KEYS: 1 wait, 2 meta, 3 delayed, 4 marker, 5 events
-- ARGV: 1 key prefix ("bull:distribution:"), 2 job name, 3 timestamp ms, 4 delay ms, 5 events max length,
--       then one (jobId, data, opts) triple per job from 6 on
-- Returns the number of jobs added.
local waitKey, metaKey, delayedKey, markerKey, eventsKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local prefix, name = ARGV[1], ARGV[2]
local timestamp, delay = tonumber(ARGV[3]), tonumber(ARGV[4])
local maxEvents = ARGV[5]
local paused = redis.call('HEXISTS', metaKey, 'paused') == 1

local added, pushed = 0, false
for i = 6, #ARGV, 3 do
  local jobId, data, opts = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local jobKey = prefix .. jobId
  if redis.call('EXISTS', jobKey) == 1 then
    redis.call('XADD', eventsKey, 'MAXLEN', '~', maxEvents, '*', 'event', 'duplicated', 'jobId', jobId)
  else
    redis.call('HSET', jobKey, 'name', name, 'data', data, 'opts', opts, 'timestamp', ARGV[3], 'delay', ARGV[4],
      'priority', '0')
    redis.call('XADD', eventsKey, 'MAXLEN', '~', maxEvents, '*', 'event', 'added', 'jobId', jobId, 'name', name)
    if delay > 0 then
      local due = timestamp + delay
      -- Jobs due in the same millisecond keep their order through the low 12 bits of the score.
      local base = due * 4096
      local same = redis.call('ZCOUNT', delayedKey, base, base + 4095)
      redis.call('ZADD', delayedKey, string.format('%.0f', base + math.min(same, 4095)), jobId)
      redis.call('XADD', eventsKey, 'MAXLEN', '~', maxEvents, '*', 'event', 'delayed', 'jobId', jobId,
        'delay', string.format('%.0f', due))
    else
      redis.call('LPUSH', waitKey, jobId)
      redis.call('XADD', eventsKey, 'MAXLEN', '~', maxEvents, '*', 'event', 'waiting', 'jobId', jobId)
      pushed = true
    end
    added = added + 1
  end
end

-- Markers wake idle workers (ours and Node's); a paused queue gets none, so nobody wakes for nothing.
if not paused then
  if pushed then
    redis.call('ZADD', markerKey, 0, '0')
  end
  if delay > 0 and added > 0 then
    local first = redis.call('ZRANGE', delayedKey, 0, 0, 'WITHSCORES')
    if first[2] then
      redis.call('ZADD', markerKey, string.format('%.0f', math.floor(tonumber(first[2]) / 4096)), '1')
    end
  end
end
return added
