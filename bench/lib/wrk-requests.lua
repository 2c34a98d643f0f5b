-- wrk script of bench:forms: `wrk -s wrk-requests.lua <url> -- <request file>`.
-- The file has one request a line (method, path, body, then name=value headers, tab-separated;
-- bench/lib/forms-plan.ts writes it). Thread t of n takes lines t, t+n, t+2n, ... and sends them
-- in turn, so every session (and its draft) is used by one thread only, and with more lines per
-- thread than connections two connections seldom post to the same draft at once.
-- done() prints one "WRKJSON {...}" line for forms-plan.ts's parseWrk.

local threads = 0

function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end

local requests = {}
local i = 0

local function split(line)
  local parts = {}
  for part in (line .. "\t"):gmatch("([^\t]*)\t") do parts[#parts + 1] = part end
  return parts
end

function init(args)
  local n = 0
  local mine = {}
  local f = assert(io.open(args[1], "r"))
  for line in f:lines() do
    if line ~= "" then
      if n % tonumber(args[2]) == id then mine[#mine + 1] = line end
      n = n + 1
    end
  end
  f:close()
  for _, line in ipairs(mine) do
    local p = split(line)
    local headers = {}
    for k = 4, #p do
      local name, value = p[k]:match("^([^=]+)=(.*)$")
      headers[name] = value
    end
    local body = p[3] ~= "" and p[3] or nil
    requests[#requests + 1] = wrk.format(p[1], p[2], headers, body)
  end
  assert(#requests > 0, "no requests for this thread")
end

function request()
  i = i % #requests + 1
  return requests[i]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_us":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"p50_us":%d,"p99_us":%d,"max_us":%d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
