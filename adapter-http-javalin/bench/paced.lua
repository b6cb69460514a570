-- wrk script: each connection waits PACE_MS (with +-10 % jitter, so connections do not march in step) between requests,
-- which holds the offered load near connections * 1000 / (PACE_MS + latency) requests/s. Closed-loop pacing, not wrk2's
-- constant-rate model: a stall delays the requests behind it instead of counting them as late.
local pace = tonumber(os.getenv("PACE_MS"))
math.randomseed(os.time())

function delay()
  return pace * (0.9 + math.random() * 0.2)
end
