-- GET one page, the same request every time: `wrk -s page.lua URL -- [COOKIE [htmx]]`.
-- Without a cookie every request is a new visitor; with one, the same returning player.
-- With "htmx" after the cookie, each GET carries HX-Request: true (the fragment answer).
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "common.lua")

function init(args)
  if args[1] and args[1] ~= "" then
    wrk.headers["Cookie"] = args[1]
  end
  if args[2] == "htmx" then
    wrk.headers["HX-Request"] = "true"
  end
end
