-- Shared by take.lua and finish.lua (prepended to each when loaded): one worker step that promotes due delayed jobs,
-- then takes the next job (wait first, then prioritized), locks it and returns what the worker needs. Atomic, so two
-- workers can never take the same job.
--
-- Uses KEYS: 1 wait, 2 active, 3 prioritized, 4 pc, 5 delayed, 6 marker, 7 meta, 8 events
-- takeNext(prefix, lock token, lock duration ms, now ms, events max length, worker name or '') returns
-- {jobId, batchId, atm, attempts, backoffType, backoffDelay, backoffJitter, keepCompleted, keepFailed, defa}
-- (all strings; batchId '' when the data has none; keep* '' when the job's opts say nothing) when a job was taken,
-- else {'', next delayed due time in ms or '-1'}.
local function takeNext(prefix, token, lockMs, nowText, maxEvents, workerName)
  local waitKey, activeKey, prioKey, pcKey, delayedKey, markerKey, metaKey, eventsKey =
    KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8]
  local now = tonumber(nowText)

  local function event(...)
    redis.call('XADD', eventsKey, 'MAXLEN', '~', maxEvents, '*', ...)
  end

  -- 1. Due delayed jobs become waiting. There is no scheduler: this step is the only place delayed jobs move.
  local dueIds = redis.call('ZRANGEBYSCORE', delayedKey, 0, string.format('%.0f', (now + 1) * 4096 - 1), 'LIMIT', 0, 1000)
  for _, id in ipairs(dueIds) do
    redis.call('ZREM', delayedKey, id)
    local jobKey = prefix .. id
    local priority = tonumber(redis.call('HGET', jobKey, 'priority') or '0') or 0
    if priority > 0 then
      local counter = redis.call('INCR', pcKey)
      redis.call('ZADD', prioKey, string.format('%.0f', priority * 4294967296 + counter), id)
    else
      redis.call('LPUSH', waitKey, id)
    end
    redis.call('HSET', jobKey, 'delay', '0')
    event('event', 'waiting', 'jobId', id, 'prev', 'delayed')
  end

  local function nextDue()
    local first = redis.call('ZRANGE', delayedKey, 0, 0, 'WITHSCORES')
    if first[2] then
      return {'', string.format('%.0f', math.floor(tonumber(first[2]) / 4096))}
    end
    return {'', '-1'}
  end

  -- 2. A paused queue, or one at the global concurrency a Node operator may have set, hands out nothing.
  local meta = redis.call('HMGET', metaKey, 'paused', 'concurrency')
  if meta[1] then
    return nextDue()
  end
  local globalConcurrency = tonumber(meta[2] or '')
  if globalConcurrency and redis.call('LLEN', activeKey) >= globalConcurrency then
    return nextDue()
  end

  -- 3. Take from wait, else the lowest score of prioritized. An id whose hash is gone (removed by hand) is dropped.
  -- Every call costs: the job's fields are read once, here, and double as the existence check.
  local jobId, jobKey, fields
  for _ = 1, 100 do
    jobId = redis.call('RPOPLPUSH', waitKey, activeKey)
    if not jobId then
      local lowest = redis.call('ZPOPMIN', prioKey)
      if lowest[1] then
        jobId = lowest[1]
        redis.call('LPUSH', activeKey, jobId)
        -- The round add.lua starts new campaigns' priorities from (see there).
        redis.call('HSET', metaKey, 'basenft:round',
          string.format('%d', math.max(0, math.floor(tonumber(lowest[2]) / 4294967296) - 1)))
        if redis.call('ZCARD', prioKey) == 0 then
          redis.call('DEL', pcKey)
        end
      end
    end
    if not jobId then
      return nextDue()
    end
    jobKey = prefix .. jobId
    fields = redis.call('HMGET', jobKey, 'data', 'opts', 'atm', 'defa', 'ats')
    if fields[1] then
      break
    end
    redis.call('LREM', activeKey, -1, jobId)
    jobId = nil
  end
  if not jobId then
    return nextDue()
  end

  -- 4. Lock, bookkeeping and the event Node's QueueEvents expects.
  redis.call('SET', jobKey .. ':lock', token, 'PX', lockMs)
  local started = string.format('%d', (tonumber(fields[5] or '0') or 0) + 1)
  if workerName ~= '' then
    redis.call('HSET', jobKey, 'processedOn', nowText, 'ats', started, 'pb', workerName)
  else
    redis.call('HSET', jobKey, 'processedOn', nowText, 'ats', started)
  end
  event('event', 'active', 'jobId', jobId, 'prev', 'waiting')

  -- 5. Leave a marker so another idle worker wakes and tries too. Set without first asking whether more jobs wait: that
  -- costs an idle worker one empty try when the queue runs dry, and saves a call on every take.
  redis.call('ZADD', markerKey, 0, '0')

  -- 6. What the worker needs, decoded here so the Java side needs no JSON library. Bad JSON reads as "not given".
  local batchId = ''
  local okData, data = pcall(cjson.decode, fields[1] or '')
  if okData and type(data) == 'table' and type(data.batchId) == 'string' then
    batchId = data.batchId
  end
  local attempts, backoffType, backoffDelay, backoffJitter, keepCompleted, keepFailed = '', '', '', '', '', ''
  local function keep(value)
    -- BullMQ's removeOnComplete/removeOnFail: true removes at once, false keeps all, N keeps N, {count=N} keeps N.
    if value == true then return '0' end
    if value == false then return '-1' end
    if type(value) == 'number' then return string.format('%d', value) end
    if type(value) == 'table' and type(value.count) == 'number' then return string.format('%d', value.count) end
    return ''
  end
  local okOpts, opts = pcall(cjson.decode, fields[2] or '')
  if okOpts and type(opts) == 'table' then
    if type(opts.attempts) == 'number' then
      attempts = string.format('%d', opts.attempts)
    end
    local backoff = opts.backoff
    if type(backoff) == 'number' then
      backoffType, backoffDelay = 'fixed', string.format('%d', backoff)
    elseif type(backoff) == 'table' then
      if type(backoff.type) == 'string' then backoffType = backoff.type end
      if type(backoff.delay) == 'number' then backoffDelay = string.format('%d', backoff.delay) end
      if type(backoff.jitter) == 'number' then backoffJitter = tostring(backoff.jitter) end
    end
    keepCompleted = keep(opts.removeOnComplete)
    keepFailed = keep(opts.removeOnFail)
  end
  return {jobId, batchId, fields[3] or '0', attempts, backoffType, backoffDelay, backoffJitter, keepCompleted, keepFailed,
    fields[4] or ''}
end
