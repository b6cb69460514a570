-- Gives back a job this worker took but will not run (fetched ahead when the worker was closing): back to the processing
-- end of `wait`, lock removed, its start uncounted, as if it had never been taken.
--
-- KEYS: 1 wait, 2 active, 3 marker, 4 meta, 5 events
-- ARGV: 1 key prefix, 2 jobId, 3 lock token, 4 events max length
-- Returns 1 when given back, 0 when the lock was no longer this worker's (then nothing changes).
local waitKey, activeKey, markerKey, metaKey, eventsKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local prefix, jobId, token = ARGV[1], ARGV[2], ARGV[3]
local jobKey = prefix .. jobId
if redis.call('GET', jobKey .. ':lock') ~= token then return 0 end
if redis.call('LREM', activeKey, -1, jobId) == 0 then return 0 end
redis.call('DEL', jobKey .. ':lock')
redis.call('HINCRBY', jobKey, 'ats', -1)
redis.call('RPUSH', waitKey, jobId)
redis.call('XADD', eventsKey, 'MAXLEN', '~', ARGV[4], '*', 'event', 'waiting', 'jobId', jobId, 'prev', 'active')
if redis.call('HEXISTS', metaKey, 'paused') == 0 then
  redis.call('ZADD', markerKey, 0, '0')
end
return 1
