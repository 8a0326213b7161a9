-- The reduced synthetic province's study description shared by the study
-- specs: `data` from cbal.synthetic.generate{small = true}, results in `out`,
-- `extra` fields override.
local M = {}

function M.desc(data, out, extra)
  local d = {
    title = "test study",
    counties = { path = data.counties, layer = "counties", id = "code", name = "name", city = "city_en" },
    regions = { south = { "Zhenjiang" }, central = { "Yangzhou" }, north = { "Suqian" } },
    years = { 2000, 2004 },
    emissions = { table = data.emissions, year = "year", value = "emissions" },
    light = { path = data.light },
    npp = { path = data.npp, units = "kg C" },
    socio = { table = data.socio },
    periods = { { 2000, 2002 }, { 2002, 2004 } },
    map_years = { 2000, 2004 },
    locator = data.country and { path = data.country } or nil, -- the maps' locator
    out = out, quiet = true,
  }
  for k, v in pairs(extra or {}) do d[k] = v end
  return d
end

return M
