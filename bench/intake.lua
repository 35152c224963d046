-- wrk script of bench/intake.py: sends each prepared request once, in order, then stops.
--
--   wrk -t1 -c32 -d600s -s bench/intake.lua URL -- REQUESTS LOG TAIL_PATH
--
-- REQUESTS holds one request a line: "<X-Client-Id>\t<JSON body>". Each response to one of
-- them is written to LOG as "<unix second> <status> <body>". Connections that find nothing
-- left to send ask TAIL_PATH (a trivial GET answering '"status": "ok"'), which is not logged.
-- When every prepared request has had its answer it writes LOG.done and stops.

local requests, count, sent, answered = {}, 0, 0, 0
local log, tail, args_log

function init(args)
  for line in io.lines(args[1]) do
    local client, body = line:match("^([^\t]*)\t(.*)$")
    count = count + 1
    requests[count] = wrk.format("POST", nil, {
      ["Content-Type"] = "application/json",
      ["X-Client-Id"] = client,
    }, body)
  end
  args_log = args[2]
  log = io.open(args_log, "w")
  log:setvbuf("full", 1048576)
  tail = wrk.format("GET", args[3])
end

local primed = false

function request()
  -- wrk (4.1.0) builds one request per thread that it never sends: make it a tail ping, so
  -- that every prepared request goes out.
  if not primed then
    primed = true
    return tail
  end
  if sent < count then
    sent = sent + 1
    return requests[sent]
  end
  return tail
end

function response(status, headers, body)
  if body:find('"status": "ok"', 1, true) then
    return
  end
  answered = answered + 1
  log:write(os.time(), " ", status, " ", (body:gsub("[\r\n]", " ")), "\n")
  if answered >= count then
    -- wrk runs for its whole -d duration whatever its threads do: the marker file tells
    -- bench/intake.py to stop it (SIGINT), so the duration it reports is the real one.
    log:close()
    io.open(args_log .. ".done", "w"):close()
    wrk.thread:stop()
  end
end

-- done(): one JSON line of figures, shared with plain runs.
dofile("bench/report.lua")
