-- wrk script: every request carries a token the server has not seen, so each one pays full JWT verification.
-- Each wrk thread walks its own slice of the token file (TOKENS), so no token is sent twice in a run.
local counter = 0
function setup(thread)
  thread:set("slice", counter)
  counter = counter + 1
end

function init(args)
  local all = {}
  for line in io.lines(os.getenv("TOKENS")) do all[#all + 1] = line end
  local threads = tonumber(os.getenv("WRK_THREADS"))
  local size = math.floor(#all / threads)
  tokens = {}
  for i = slice * size + 1, (slice + 1) * size do tokens[#tokens + 1] = all[i] end
  next_token = 1
end

function request()
  local token = tokens[next_token]
  if next_token < #tokens then next_token = next_token + 1 else next_token = 1 end
  return wrk.format("GET", nil, {["Authorization"] = "Bearer " .. token})
end
