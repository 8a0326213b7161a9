-- What `make example` runs: generates the synthetic province once (cached
-- in out/synthetic/), then runs the whole study into out/example/ and
-- reports both times (wall clock).
local cbal = require "cbal"

local now = cbal.now

local desc_path = arg[1] or "examples/synthetic/study.lua"
local chunk = assert(loadfile(desc_path, "t", {}))
local desc = chunk()
local t0 = now()
local s = desc.synthetic
local files = require("cbal.synthetic").generate{ dir = s.dir, small = s.small, seed = s.seed,
                                                  years = s.years }
local t1 = now()
desc.synthetic = nil

-- The province also ships CEADs-style workbooks for a few years (both label
-- styles): read them as a user would with real inventories and check that
-- their Scope 1 totals agree with the emissions table the study uses.
local function ceads_check(files)
  local paths, years = {}, {}
  for _, y in ipairs(files.ceads_years) do
    local p = files.ceads:gsub("{year}", tostring(y))
    local f = io.open(p)
    if f then
      f:close()
      paths[#paths + 1], years[#years + 1] = p, y
    end
  end
  if #paths == 0 then return end
  local totals = cbal.ceads.province_totals(paths, "Jiangsu")
  local t = cbal.read_table(files.emissions, { numeric = { "year", "emissions" } })
  for _, y in ipairs(years) do
    for i = 1, #t.year do
      if t.year[i] == y and math.abs(t.emissions[i] - totals[y]) > 1e-6 * totals[y] then
        error(("CEADs workbook %d says %.3f Mt, emissions.csv says %.3f Mt"):format(y, totals[y], t.emissions[i]))
      end
    end
  end
  print(("CEADs workbooks %s: Scope 1 totals agree with emissions.csv"):format(table.concat(years, ", ")))
end
ceads_check(files)

cbal.study(desc)
local t2 = now()
print(("example: generation %.1f s (0 when cached), study %.1f s, whole %.1f s; open %s/report.html")
  :format(t1 - t0, t2 - t1, t2 - t0, desc.out))
