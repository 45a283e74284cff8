-- wrk script: POST the pre-encoded JSON body(ies) to /workflows/run.
--   WRK_BODY=file       one body for every request (wrk.body: no per-request work in wrk)
--   WRK_BODY_LIST=file  a file listing body files, one per line, cycled per request (distinct images)
-- done() prints one JSON line: requests, seconds, non-2xx and socket errors.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

local function slurp(path)
  local f = assert(io.open(path, "rb"))
  local data = f:read("*a")
  f:close()
  return data
end

local single = os.getenv("WRK_BODY")
if single and single ~= "" then
  wrk.body = slurp(single)
end

local bodies = nil
local index = 0
local offset = 0

function setup(thread)
  thread:set("offset", offset)
  offset = offset + 1
end

function init(args)
  local list = os.getenv("WRK_BODY_LIST")
  if list and list ~= "" then
    bodies = {}
    for line in io.lines(list) do
      if line ~= "" then bodies[#bodies + 1] = slurp(line) end
    end
    index = offset or 0
  end
end

function request()
  if bodies == nil then return wrk.request() end
  index = index + 1
  return wrk.format(nil, nil, nil, bodies[(index % #bodies) + 1])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"wall_s":%.6f,"non2xx":%d,"socket_errors":%d,"latency_mean_ms":%.3f}\n',
    summary.requests, summary.duration / 1e6, e.status, e.connect + e.read + e.write + e.timeout,
    latency.mean / 1000))
end
