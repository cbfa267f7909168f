-- GET one page, the same request every time: `wrk -s page.lua URL -- [COOKIE]`.
-- Without a cookie every request is a new visitor; with one, the same returning player.
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "common.lua")

function init(args)
  if args[1] and args[1] ~= "" then
    wrk.headers["Cookie"] = args[1]
  end
end
