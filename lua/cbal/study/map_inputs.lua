-- What the study's maps draw besides the counties: the city outlines
-- (the counties dissolved by city), an optional locator layer (the larger
-- area, e.g. the country) and an optional figure theme.
local cbal = require "cbal"
local util = require "cbal.study.util"
local fail, bare = util.fail, util.bare

local M = { name = "map inputs" }

M.fields = {
  { "locator", keys = { "path", "layer", "datum" }, needs = "path" },
  { "theme" },
}

local function load_theme(t)
  local ok, th = pcall(cbal.themes.load, t)
  if not ok then fail("field 'theme': %s", bare(th):gsub("^theme ?", "")) end
  return th
end

function M.check(d)
  if d.theme ~= nil then return load_theme(d.theme) end
  local env = os.getenv("CBAL_THEME")
  if env and env ~= "" then
    local ok, th = pcall(cbal.themes.load, env)
    if not ok then fail("the environment's CBAL_THEME: %s", (bare(th):gsub("^theme:? ?", ""))) end
  end
end

function M.run(S, d)
  local ok, cities = pcall(S.layer.dissolve, S.layer, d.counties.city)
  if not ok then fail("counties.city: %s", bare(cities)) end
  S.cities = cities
  -- the figures' theme: the description's, else the session's
  -- (cbal.themes.use) or CBAL_THEME's; recorded in the manifest
  local src, env = d.theme, os.getenv("CBAL_THEME")
  if d.theme ~= nil then
    S.theme = load_theme(d.theme)
  elseif cbal.themes.current() then
    local cur = cbal.themes.current()
    src = (env and env ~= "") and env or nil
    S.params.theme = src and ("CBAL_THEME=" .. src) or (cur.name or "cbal.themes.use")
  end
  if src ~= nil and S.params.theme == nil then
    S.params.theme = type(src) == "table" and (src.name or "a table given in the description")
      or src
  end
  if type(src) == "string" and src:find("%.lua$") then util.input(S, "theme", src) end
  local l = d.locator
  if not l then return end
  local layer
  ok, layer = pcall(cbal.open_layer, l.path, { layer = l.layer, datum = l.datum })
  if not ok then fail("locator.path: %s", bare(layer)) end
  S.locator = layer
  util.input(S, "locator", l.path)
end

return M
