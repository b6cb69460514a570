-- The stalled-job check, run by whichever worker first finds `stalled-check` expired. Two passes find a dead worker's
-- job: one pass notes every active job in `stalled`; live workers remove theirs when they renew; a job still there at
-- the next pass, with no lock, has lost its worker and goes back to the processing end of `wait`.
--
-- KEYS: 1 stalled, 2 wait, 3 active, 4 stalled-check, 5 meta, 6 marker, 7 events
-- ARGV: 1 key prefix, 2 max stalled count, 3 now ms, 4 check interval ms, 5 events max length, 6 '1' to run even when
--       another worker ran a check within the interval (tests, operators)
-- Returns the ids moved back to wait.
local stalledKey, waitKey, activeKey, checkKey, metaKey, markerKey, eventsKey =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7]
local prefix, maxStalled, now, intervalMs, maxEvents, force =
  ARGV[1], tonumber(ARGV[2]), ARGV[3], ARGV[4], ARGV[5], ARGV[6] == '1'

if not force and redis.call('EXISTS', checkKey) == 1 then
  return {}
end
redis.call('SET', checkKey, now, 'PX', intervalMs)

local moved = {}
for _, jobId in ipairs(redis.call('SMEMBERS', stalledKey)) do
  local jobKey = prefix .. jobId
  if redis.call('EXISTS', jobKey .. ':lock') == 0 and redis.call('LREM', activeKey, 1, jobId) > 0 then
    if redis.call('EXISTS', jobKey) == 1 then
      local stalledCount = redis.call('HINCRBY', jobKey, 'stc', 1)
      if stalledCount > maxStalled then
        -- The next worker fails it at once instead of running it a further time.
        redis.call('HSET', jobKey, 'defa', 'job stalled more than allowable limit')
      end
      redis.call('RPUSH', waitKey, jobId)
      redis.call('XADD', eventsKey, 'MAXLEN', '~', maxEvents, '*', 'event', 'waiting', 'jobId', jobId, 'prev', 'active')
      redis.call('XADD', eventsKey, 'MAXLEN', '~', maxEvents, '*', 'event', 'stalled', 'jobId', jobId)
      moved[#moved + 1] = jobId
    end
  end
end

-- Second half: every job active now is suspect until its worker renews it.
redis.call('DEL', stalledKey)
local active = redis.call('LRANGE', activeKey, 0, -1)
for i = 1, #active, 1000 do
  redis.call('SADD', stalledKey, unpack(active, i, math.min(i + 999, #active)))
end

if #moved > 0 and redis.call('HEXISTS', metaKey, 'paused') == 0 then
  redis.call('ZADD', markerKey, 0, '0')
end
return moved
