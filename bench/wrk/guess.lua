-- Guesses that stay valid for a whole run:
--   wrk -s guess.lua URL -- PLAYERS TITLES NUMBER MODE THREADS
-- PLAYERS: one pre-made player a line ("cookie<TAB>csrf token"); the threads share them out.
-- TITLES: wrong answers ("movie id<TAB>URL-encoded title (year)"), one a line.
-- MODE "htmx": POST with HX-Request (the fragment answer); "nojs": a plain form POST, and after
-- each 303 a GET of the page it points to with the cookie it set (or the one it had), as a
-- browser does.
-- "unknown": htmx POSTs of a title the catalogue does not know (TITLES lines hold only the
-- text), always at position 0 of one player: each is refused with suggestions (422).
-- Each thread plays its players in windows of WINDOW players: positions 0..5 in turn over the
-- window (the last one ends the game, lost), then the next window. A window wider than the
-- connections per thread means a player's previous move has finished before its next is sent.
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "common.lua")

local WINDOW = 64
local ATTEMPTS = 6
local players = {}
local titles = {}
local path, mode
local window_start, slot, position = 1, 0, 0
local title_offset = 0
local pending = {}
local posted = {}

function init(args)
  local all_players = read_rows(args[1])
  titles = read_rows(args[2])
  path = "/puzzle/" .. args[3] .. "/moves"
  mode = args[4]
  local threads = tonumber(args[5])
  for i, player in ipairs(all_players) do
    if mode == "unknown" or (i - 1) % threads == thread_id - 1 then
      table.insert(players, player)
    end
  end
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  if mode ~= "nojs" then
    wrk.headers["HX-Request"] = "true"
  end
end

-- wrk.format replaces wrk.headers with a table it is given: copy them in with the cookie.
local function with_cookie(cookie)
  local headers = {}
  for name, value in pairs(wrk.headers) do
    headers[name] = value
  end
  headers["Cookie"] = cookie
  return headers
end

local function next_player()
  -- The next (player, position) pair: every position over the window, then the next window.
  local width = math.min(WINDOW, #players - window_start + 1)
  slot = slot + 1
  if slot > width then
    slot = 1
    position = position + 1
    if position >= ATTEMPTS then
      position = 0
      window_start = window_start + WINDOW
      if window_start > #players then
        window_start = 1
        count_status("wrapped")
      end
    end
  end
  return players[window_start + slot - 1], window_start + slot - 1
end

function request()
  if #pending > 0 then
    local cookie = table.remove(pending, 1)
    return wrk.format("GET", "/", { ["Cookie"] = cookie, ["Host"] = wrk.headers["Host"] })
  end
  if mode == "unknown" then
    title_offset = title_offset % #titles + 1
    local player = players[1]
    local body = "csrf_token=" .. player[2] .. "&position=0&action=guess&movie_id=&guess="
      .. titles[title_offset][1]
    return wrk.format("POST", path, with_cookie(player[1]), body)
  end
  local player, index = next_player()
  -- Six different wrong titles per game: the player's own offset into the list plus the position.
  local title = titles[(index * 7 + position) % #titles + 1]
  local movie_id = mode == "htmx" and title[1] or ""
  local body = "csrf_token=" .. player[2] .. "&position=" .. position
    .. "&action=guess&movie_id=" .. movie_id .. "&guess=" .. title[2]
  if mode == "nojs" then
    table.insert(posted, player[1])
  end
  return wrk.format("POST", path, with_cookie(player[1]), body)
end

function response(status, headers, body)
  count_status(status)
  if mode == "nojs" and status ~= 200 then
    -- A POST's answer (the pages are 200): the browser follows a 303 with the cookie it set,
    -- or, when the answer set none (the session unchanged), with the one it already had.
    local sent = table.remove(posted, 1)
    if status == 303 then
      local cookie = headers["Set-Cookie"] or headers["set-cookie"]
      table.insert(pending, cookie and cookie:match("^([^;]+)") or sent)
    end
  end
end
