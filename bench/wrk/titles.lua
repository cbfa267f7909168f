-- The typeahead as htmx asks it: GET /titles?guess=... with HX-Request, rotating through the
-- typed prefixes in a file (one URL-encoded query a line): `wrk -s titles.lua URL -- FILE`.
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "common.lua")

local queries = {}
local next_query = 0

function init(args)
  for _, row in ipairs(read_rows(args[1])) do
    table.insert(queries, row[1])
  end
  next_query = thread_id or 1
  wrk.headers["HX-Request"] = "true"
end

function request()
  next_query = next_query % #queries + 1
  return wrk.format("GET", "/titles?guess=" .. queries[next_query])
end
