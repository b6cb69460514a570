-- Renews the locks of jobs this worker still holds. A lock whose token no longer matches is not touched: that job
-- was taken over after its lock lapsed, and its old holder must not steal it back.
--
-- KEYS: 1 stalled
-- ARGV: 1 key prefix, 2 lock duration ms, then (jobId, token) pairs from 3 on
-- Returns the ids whose lock was lost.
local stalledKey = KEYS[1]
local prefix, lockMs = ARGV[1], ARGV[2]
local lost = {}
for i = 3, #ARGV, 2 do
  local jobId, token = ARGV[i], ARGV[i + 1]
  local lockKey = prefix .. jobId .. ':lock'
  if redis.call('GET', lockKey) == token then
    redis.call('PEXPIRE', lockKey, lockMs)
    -- Renewed: proof of life, so the next stalled check leaves this job alone.
    redis.call('SREM', stalledKey, jobId)
  else
    lost[#lost + 1] = jobId
  end
end
return lost
