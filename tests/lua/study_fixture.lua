-- The reduced synthetic province's study description shared by the study
-- specs: `data` from cbal.synthetic.generate{small = true}, results in `out`,
-- `extra` fields override; and the province itself, made once per block.
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

-- The same description without figures (tables only, to stay fast);
-- extra may still ask for figures.
function M.desc_tables(data, out, extra)
  local e = { figures = false }
  for k, v in pairs(extra or {}) do e[k] = v end
  return M.desc(data, out, e)
end

-- Inside a describe block: the reduced synthetic province, generated once
-- into a fresh folder before the block's tests and removed after them;
-- set(dir, data) receives the folder and the generated data.
function M.province(set)
  local busted = require "busted" -- the hooks of the spec being run
  local tu = require "testutil"
  local dir
  busted.setup(function()
    dir = tu.tmpdir()
    set(dir, require("cbal.synthetic").generate{ dir = dir .. "/data", small = true, quiet = true })
  end)
  busted.teardown(function() tu.rmtree(dir) end)
end

return M
