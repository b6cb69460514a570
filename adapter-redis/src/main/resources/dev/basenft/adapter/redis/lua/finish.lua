-- Settles a taken job as completed or failed, if the caller still holds its lock; then, when asked, takes the next job
-- in the same step (as BullMQ's worker does), saving the worker a round trip per job.
--
-- KEYS: 1 wait, 2 active, 3 prioritized, 4 pc, 5 delayed, 6 marker, 7 meta, 8 events (as takeNext uses them),
--       9 target set (completed or failed)
-- ARGV: 1 key prefix, 2 jobId, 3 lock token, 4 now ms, 5 'completed' or 'failed', 6 return value (JSON) or failed reason,
--       7 keep: -1 all, 0 none, N the newest N of the target set, 8 events max length,
--       9 '1' when the job failed because its attempts ran out, 10 stack trace (JSON array) for a failure,
--       11 '1' to take the next job, 12 its lock token, 13 lock duration ms, 14 worker name ('' for none)
-- Returns {code} or, when a next job was asked for and the job settled, {0, takeNext's reply}. Codes: 0 settled;
-- -1 job missing, -2 lock missing, -6 lock held by another token, -3 job not active.
local waitKey, activeKey, prioKey, eventsKey, targetKey = KEYS[1], KEYS[2], KEYS[3], KEYS[8], KEYS[9]
local prefix, jobId, token, now, state, value = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local keep, maxEvents, exhausted, stacktrace = tonumber(ARGV[7]), ARGV[8], ARGV[9], ARGV[10]
local jobKey = prefix .. jobId
local lockKey = jobKey .. ':lock'

if redis.call('EXISTS', jobKey) == 0 then return {-1} end
local lock = redis.call('GET', lockKey)
if not lock then return {-2} end
if lock ~= token then return {-6} end
if redis.call('LREM', activeKey, -1, jobId) == 0 then return {-3} end
redis.call('DEL', lockKey)
-- No SREM from `stalled`: the stalled check ignores ids no longer active, and rebuilds the set at every pass.

local attemptsMade = redis.call('HINCRBY', jobKey, 'atm', 1)
if state == 'completed' then
  redis.call('HSET', jobKey, 'finishedOn', now, 'returnvalue', value)
else
  redis.call('HSET', jobKey, 'finishedOn', now, 'failedReason', value, 'stacktrace', stacktrace)
end

if keep == 0 then
  redis.call('DEL', jobKey, jobKey .. ':logs')
else
  redis.call('ZADD', targetKey, now, jobId)
  if keep > 0 then
    -- Keep only the newest `keep` jobs: finished jobs are the one thing that would otherwise grow without bound.
    local old = redis.call('ZRANGE', targetKey, 0, -(keep + 1))
    if #old > 0 then
      for _, id in ipairs(old) do
        redis.call('DEL', prefix .. id, prefix .. id .. ':logs')
      end
      redis.call('ZREMRANGEBYRANK', targetKey, 0, #old - 1)
    end
  end
end

if state == 'completed' then
  redis.call('XADD', eventsKey, 'MAXLEN', '~', maxEvents, '*', 'event', 'completed', 'jobId', jobId,
    'returnvalue', value, 'prev', 'active')
else
  if exhausted == '1' then
    redis.call('XADD', eventsKey, 'MAXLEN', '~', maxEvents, '*', 'event', 'retries-exhausted', 'jobId', jobId,
      'attemptsMade', attemptsMade)
  end
  redis.call('XADD', eventsKey, 'MAXLEN', '~', maxEvents, '*', 'event', 'failed', 'jobId', jobId,
    'failedReason', value, 'prev', 'active')
end
if ARGV[11] == '1' then
  local nextJob = takeNext(prefix, ARGV[12], ARGV[13], now, maxEvents, ARGV[14])
  if nextJob[1] ~= '' then
    return {0, nextJob}
  end
end
if redis.call('LLEN', waitKey) == 0 and redis.call('ZCARD', prioKey) == 0 and redis.call('LLEN', activeKey) == 0 then
  redis.call('XADD', eventsKey, 'MAXLEN', '~', maxEvents, '*', 'event', 'drained')
end
return {0}
