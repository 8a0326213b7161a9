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
  if d.theme ~= nil then load_theme(d.theme) end
end

function M.run(S, d)
  local ok, cities = pcall(S.layer.dissolve, S.layer, d.counties.city)
  if not ok then fail("counties.city: %s", bare(cities)) end
  S.cities = cities
  if d.theme ~= nil then
    S.theme = load_theme(d.theme)
    if type(d.theme) == "string" and d.theme:find("%.lua$") then util.input(S, "theme", d.theme) end
  end
  local l = d.locator
  if not l then return end
  local layer
  ok, layer = pcall(cbal.open_layer, l.path, { layer = l.layer, datum = l.datum })
  if not ok then fail("locator.path: %s", bare(layer)) end
  S.locator = layer
  util.input(S, "locator", l.path)
end

return M
