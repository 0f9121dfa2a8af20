-- wrk script: GET a tracking URL with a random valid token per request, counting 2xx/3xx answers.
-- env: TOKENS (file with one token per line), KIND ("open", "click", "bare" or "handoff")
local tokens = {}
local kind = os.getenv("KIND") or "open"
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  ok = 0
  for line in io.lines(os.getenv("TOKENS")) do tokens[#tokens + 1] = line end
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
  wrk.headers["User-Agent"] = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 (KHTML, like Gecko)"
end

function request()
  local token = tokens[math.random(#tokens)]
  if kind == "click" then
    return wrk.format("GET", "/t/c/" .. token)
  elseif kind == "bare" then
    return wrk.format("GET", "/bench/gif")
  elseif kind == "handoff" then
    return wrk.format("GET", "/bench/handoff.gif")
  end
  return wrk.format("GET", "/t/o/" .. token .. ".gif")
end

function response(status, headers, body)
  if status >= 200 and status < 400 then ok = ok + 1 end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("ok") end
  io.write(string.format("RESULT rps=%.1f p50_ms=%.3f p99_ms=%.3f ok=%d requests=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    total, summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout))
end
