-- Shared by the bench's wrk scripts: number the threads, read data files, and print the
-- results as one JSON line that bench/load.py parses (latency in microseconds).

local threads = {}
thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_id", thread_count)
  table.insert(threads, thread)
end

-- Lines of a file, as a list of tables of tab-separated fields.
function read_rows(path)
  local rows = {}
  for line in io.lines(path) do
    if line ~= "" then
      local fields = {}
      for field in string.gmatch(line, "[^\t]+") do
        table.insert(fields, field)
      end
      table.insert(rows, fields)
    end
  end
  return rows
end

-- Every thread's `status_counts` table (filled by scripts that count answers), summed.
local function status_json()
  local total = {}
  for _, thread in ipairs(threads) do
    local counts = thread:get("status_counts")
    if counts then
      for status, n in pairs(counts) do
        total[status] = (total[status] or 0) + n
      end
    end
  end
  local parts = {}
  for status, n in pairs(total) do
    table.insert(parts, string.format('"%s": %d', status, n))
  end
  return "{" .. table.concat(parts, ", ") .. "}"
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p90_us": %d, '
      .. '"p99_us": %d, "max_us": %d, "mean_us": %.1f, "errors": {"connect": %d, "read": %d, '
      .. '"write": %d, "status": %d, "timeout": %d}, "statuses": %s}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    latency.mean, errors.connect, errors.read, errors.write, errors.status, errors.timeout,
    status_json()))
end

function count_status(status)
  status_counts = status_counts or {}
  local key = tostring(status)
  status_counts[key] = (status_counts[key] or 0) + 1
end
