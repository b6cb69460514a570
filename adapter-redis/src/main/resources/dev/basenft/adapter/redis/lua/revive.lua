-- Which of the given jobs has no live job: missing (a Redis that lost its data) or finished (completed or failed,
-- e.g. failed for stalling too often) although the stores still hold its batch open. Finished ones are deleted here so
-- that add.lua adds them afresh under the same id; live ones (waiting, delayed, prioritized, active) are left alone.
--
-- KEYS: 1 completed, 2 failed, 3 events
-- ARGV: 1 key prefix, 2 events max length, then job ids from 3 on
-- Returns the ids that now have no job.
local completedKey, failedKey, eventsKey = KEYS[1], KEYS[2], KEYS[3]
local prefix, maxEvents = ARGV[1], ARGV[2]

local missing = {}
for i = 3, #ARGV do
  local jobId = ARGV[i]
  local jobKey = prefix .. jobId
  if redis.call('EXISTS', jobKey) == 0 then
    missing[#missing + 1] = jobId
  elseif redis.call('HEXISTS', jobKey, 'finishedOn') == 1 then
    redis.call('ZREM', completedKey, jobId)
    redis.call('ZREM', failedKey, jobId)
    redis.call('DEL', jobKey, jobKey .. ':logs', jobKey .. ':lock')
    redis.call('XADD', eventsKey, 'MAXLEN', '~', maxEvents, '*', 'event', 'removed', 'jobId', jobId, 'prev', 'finished')
    missing[#missing + 1] = jobId
  end
end
return missing
