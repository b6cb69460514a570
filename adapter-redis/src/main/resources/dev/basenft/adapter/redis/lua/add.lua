-- Adds jobs to the queue, BullMQ layout. A job whose hash exists already is left alone and reported as `duplicated`:
-- that is what makes enqueueing a batch twice a no-op (layer 2 of docs/architecture.md#exactly-once).
--
-- Every job is prioritized, so campaigns share the workers instead of queueing behind one another. Each campaign's jobs
-- get consecutive priorities (the caller lists them by batch index), starting after the higher of the queue's round and
-- the last priority the campaign got, scored in `prioritized` as BullMQ scores them (priority * 2^32 + the `pc`
-- counter): batch 1 of every campaign goes before batch 2 of any, FIFO among equals, and a Node producer's prioritized
-- jobs mix in by the same rule. The round is one less than the priority of the last prioritized job a worker took
-- (take_next.lua keeps it in meta's `basenft:round`), so a campaign started while another is at its 3,000th batch starts
-- beside it rather than ahead of its next 3,000; the campaign's last priority (in the `basenft:campaign-priority` hash)
-- lets a distribution be enqueued in several calls as if in one. Both restart at 0 when the queue holds nothing live.
-- Capped at bullmq's highest priority, its PRIORITY_LIMIT of 2^21 - 1.
--
-- KEYS: 1 wait, 2 meta, 3 delayed, 4 marker, 5 events, 6 prioritized, 7 pc, 8 active, 9 campaign priorities
-- ARGV: 1 key prefix ("bull:distribution:"), 2 job name, 3 timestamp ms, 4 delay ms, 5 events max length,
--       then one (jobId, data, opts, campaign) quadruple per job from 6 on
-- Returns the number of jobs added.
local waitKey, metaKey, delayedKey, markerKey, eventsKey, prioKey, pcKey, activeKey, lastKey =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9]
local prefix, name = ARGV[1], ARGV[2]
local timestamp, delay = tonumber(ARGV[3]), tonumber(ARGV[4])
local maxEvents = ARGV[5]
local paused = redis.call('HEXISTS', metaKey, 'paused') == 1
local MAX_PRIORITY = 2097151

local round = 0
if redis.call('ZCARD', prioKey) == 0 and redis.call('ZCARD', delayedKey) == 0 and redis.call('LLEN', activeKey) == 0
    and redis.call('LLEN', waitKey) == 0 then
  redis.call('HDEL', metaKey, 'basenft:round')
  redis.call('DEL', lastKey)
else
  round = tonumber(redis.call('HGET', metaKey, 'basenft:round') or '0') or 0
end
-- Per campaign of this call: the last priority given.
local last = {}

local added, queued = 0, false
for i = 6, #ARGV, 4 do
  local jobId, data, opts, campaign = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  local jobKey = prefix .. jobId
  if redis.call('EXISTS', jobKey) == 1 then
    redis.call('XADD', eventsKey, 'MAXLEN', '~', maxEvents, '*', 'event', 'duplicated', 'jobId', jobId)
  else
    if not last[campaign] then
      last[campaign] = math.max(round, tonumber(redis.call('HGET', lastKey, campaign) or '0') or 0)
    end
    last[campaign] = last[campaign] + 1
    local priority = math.min(last[campaign], MAX_PRIORITY)
    -- opts is a JSON object from JobJson, which ends in '}': the priority joins it, as Node's job.opts shows it.
    local priorityText = string.format('%d', priority)
    opts = string.sub(opts, 1, -2) .. ',"priority":' .. priorityText .. '}'
    redis.call('HSET', jobKey, 'name', name, 'data', data, 'opts', opts, 'timestamp', ARGV[3], 'delay', ARGV[4],
      'priority', priorityText)
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
      local counter = redis.call('INCR', pcKey)
      redis.call('ZADD', prioKey, string.format('%.0f', priority * 4294967296 + counter), jobId)
      redis.call('XADD', eventsKey, 'MAXLEN', '~', maxEvents, '*', 'event', 'waiting', 'jobId', jobId)
      queued = true
    end
    added = added + 1
  end
end

for campaign, priority in pairs(last) do
  redis.call('HSET', lastKey, campaign, string.format('%d', priority))
end

-- Markers wake idle workers (ours and Node's); a paused queue gets none, so nobody wakes for nothing.
if not paused then
  if queued then
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
