-- wrk script: POST /v1/decide with one scenario, the first line of the file named by
-- RULEC_BODY (default: the tour's batch, examples/tour/borrowers.ndjson, from the repository
-- root). Prints one summary line that crates/rulec-serve/benches/wrk/load.sh reads.
local path = os.getenv("RULEC_BODY") or "examples/tour/borrowers.ndjson"
local file = assert(io.open(path, "rb"))
wrk.method = "POST"
wrk.body = file:read("*l")
file:close()
wrk.headers["Content-Type"] = "application/json"

done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("summary %.0f %.3f %.3f %d %d %d\n", summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, errors, summary.errors.status, summary.requests))
end
