-- The study of the built-in synthetic province (generated on first use by
-- scripts/study.lua into out/synthetic/). Paths are relative to the folder
-- cbal runs in. Copy this file to describe your own data.
local data = "out/synthetic"
return {
  title = "Carbon balance of a synthetic Jiangsu-like province, 2000–2021",
  synthetic = { dir = data },              -- generate the data if missing
  counties = { path = data .. "/counties.gpkg", layer = "counties",
               id = "code", name = "name", city = "city_en" },
  regions = {                              -- region membership by city
    south = { "Nanjing", "Wuxi", "Changzhou", "Suzhou", "Zhenjiang" },
    central = { "Nantong", "Yangzhou", "Taizhou" },
    north = { "Xuzhou", "Lianyungang", "Huai'an", "Yancheng", "Suqian" },
  },
  years = { 2000, 2021 },
  emissions = { table = data .. "/emissions.csv", year = "year", value = "emissions" },
  light = { path = data .. "/light/DMSP-like{year}.tif" },           -- no nodata: 0 is dark
  npp = { path = data .. "/npp/MOD17A3H_{year}.tif", units = "kg C",
          nodata = { 32761, 32762, 32763, 32764, 32765, 32766, 32767 } },
  socio = { table = data .. "/socioeconomic.csv", id = "code", year = "year",
            gdp = "gdp", population = "population", area = "area" },
  coverage = "exact",
  criteria = "default",                    -- or a path, e.g. "examples/criteria/carbon_sink_first.lua"
  periods = { { 2000, 2010 }, { 2011, 2021 } },
  growth_periods = { { 2001, 2011 }, { 2012, 2021 }, { 2000, 2021 } },
  map_years = { 2000, 2005, 2010, 2021 },
  locator = { path = data .. "/country.gpkg" },    -- the maps' locator (a made-up country)
  -- spatial analysis (t9-t13, Fig. 9-13): queen contiguity within 1 m
  spatial = { weights = { rule = "queen", snap = 1 }, variables = { "Q", "C", "N" },
              alpha = 0.05, groups = "region" },
  out = "out/example",
}
