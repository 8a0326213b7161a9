-- Tables of the synthetic province: provincial emissions, CEADs-style
-- workbooks and the county x year socio-economic table.
local cbal = require "cbal"
local P = require "cbal.synthetic.province"
local rng = require "cbal.synthetic.rng"
local area_km2 = require("cbal.synthetic.counties").area_km2

local T = {}

-- County x year table: area (km2), population (10k persons), GDP (100
-- million yuan) with a south-rich, north-poor gradient.
local function socio_table(counties, years, seed)
  local r = rng(seed + 500)
  local dens = { south = { c = 6000, s = 1100, o = 750 },
                 central = { c = 3500, s = 900, o = 700 },
                 north = { c = 3000, s = 800, o = 650 } }
  local pc0 = { south = 2.4, central = 1.1, north = 0.7 }
  local kindpc = { c = 1.6, s = 1.1, o = 0.85 }
  local pgrow = { south = 0.013, central = 0.001, north = -0.001 }
  local g1 = { south = 0.125, central = 0.13, north = 0.135 }
  local g2 = { south = 0.07, central = 0.08, north = 0.075 }
  local cols = { code = {}, name = {}, year = {}, gdp = {}, population = {}, area = {} }
  for _, c in ipairs(counties) do
    local area = area_km2(c.geom)
    local pop = dens[c.region][c.kind] * r.range(0.85, 1.15) * area / 1e4
    local pc = pc0[c.region] * kindpc[c.kind] * r.range(0.85, 1.15)
    for y = 2000, years[2] do
      if y >= years[1] then
        local k = #cols.code + 1
        cols.code[k], cols.name[k], cols.year[k] = c.code, c.name, y
        cols.area[k] = math.floor(area * 100 + 0.5) / 100
        cols.population[k] = math.floor(pop * 100 + 0.5) / 100
        cols.gdp[k] = math.floor(pop * pc * 100 + 0.5) / 100
      end
      pop = pop * (1 + pgrow[c.region] + (c.kind == "c" and 0.005 or 0) + r.range(-0.003, 0.003))
      pc = pc * (1 + (y < 2011 and g1 or g2)[c.region] + r.range(-0.015, 0.015))
    end
  end
  return cols
end

-- CEADs-style workbooks (header row, units row, total row, sectors) in the
-- old label style before 2015 and the new one after.
local function ceads_books(files)
  local sectors = { "Farming, Forestry, Animal Husbandry, Fishery and Water Conservancy",
    "Coal Mining and Dressing", "Production and Supply of Electric Power, Steam and Hot Water",
    "Smelting and Pressing of Ferrous Metals", "Urban", "Rural" }
  local share = { 0.02, 0.03, 0.52, 0.23, 0.12, 0.08 }
  for i, y in ipairs(files.ceads_years) do
    local new = y >= 2015 or i == 2
    local total = P.emissions[y]
    local head = new and "Scope_1_Total" or "Scope 1 Total"
    local label = { "", new and "TotalEmissions" or "Total Consumption" }
    local coal, oil, scope = { "Mt CO2", total * 0.8 }, { "Mt CO2", total * 0.2 },
                             { "Mt CO2", total }
    for i, sec in ipairs(sectors) do
      label[#label + 1] = sec
      coal[#coal + 1] = total * share[i] * 0.8
      oil[#oil + 1] = total * share[i] * 0.2
      scope[#scope + 1] = total * share[i]
    end
    cbal.write_table((files.ceads:gsub("{year}", tostring(y))),
      { [""] = label, ["Raw Coal"] = coal, ["Crude Oil"] = oil, [head] = scope },
      { order = { "", "Raw Coal", "Crude Oil", head }, sheet = "Jiangsu" .. y })
  end
end

-- Writes the emissions table, the CEADs workbooks (files.ceads_years) and
-- the socio-economic table of the counties for years o.years.
function T.write(files, o, counties)
  local em = { year = {}, emissions = {} }
  for y = o.years[1], o.years[2] do
    em.year[#em.year + 1] = y; em.emissions[#em.emissions + 1] = P.emissions[y]
  end
  cbal.write_table(files.emissions, em, { order = { "year", "emissions" } })
  ceads_books(files)
  cbal.write_table(files.socio, socio_table(counties, o.years, o.seed),
    { order = { "code", "name", "year", "gdp", "population", "area" } })
end

return T
