-- The study on real Jiangsu data, laid out as a researcher would have it
-- under data/jiangsu/ (nothing here ships with cbal; see examples/real/README.md):
--   boundaries/jiangsu_county_amap2020.shp   county polygons (97 units, mid-2020)
--   ceads/Emission_Inventories_for_30_Provinces_{year}.xlsx   CEADs provincial inventories
--   ntl/DMSP-like{year}.tif                  China DMSP-OLS-like 1 km series (DN 0-63)
--   npp/MOD17A3HGF.A{year}001.h2[78]v05.*.hdf   MOD17A3HGF tiles as downloaded (h27v05, h28v05)
--   yearbook/county_socioeconomic.csv        adcode, year, gdp, population, area
-- Run: build/cbal scripts/study.lua examples/real/study.lua
local root = "data/jiangsu"
return {
  title = "County carbon balance of Jiangsu Province, 2000–2019",
  -- AMap coordinates are GCJ-02 labelled as WGS84: converted on read
  counties = { path = root .. "/boundaries/jiangsu_county_amap2020.shp",
               id = "adcode", name = "name", city = "ctname", datum = "gcj02" },
  regions = {
    south = { "南京市", "无锡市", "常州市", "苏州市", "镇江市" },
    central = { "南通市", "扬州市", "泰州市" },
    north = { "徐州市", "连云港市", "淮安市", "盐城市", "宿迁市" },
  },
  years = { 2000, 2019 },                  -- the CEADs provincial series ends in 2019
  emissions = { ceads = root .. "/ceads/Emission_Inventories_for_30_Provinces_{year}.xlsx",
                province = "Jiangsu" },
  -- DMSP-like tifs declare no nodata and 0 is real darkness: give none
  light = { path = root .. "/ntl/DMSP-like{year}.tif" },
  -- MOD17A3 tiles of each year, mosaicked in memory (subdataset Npp_500m): Int16,
  -- scale 0.0001 kg C/m2 (read from the file), valid -30000..32700, fill and
  -- land-cover codes 32761-32767 are not data
  npp = { path = root .. "/npp/MOD17A3HGF.A{year}001.h2[78]v05.*.hdf", units = "kg C",
          nodata = { 32761, 32762, 32763, 32764, 32765, 32766, 32767 },
          range = { -30000, 32700 } },
  socio = { table = root .. "/yearbook/county_socioeconomic.csv", id = "adcode",
            year = "year", gdp = "gdp", population = "population", area = "area" },
  coverage = "exact",
  criteria = "default",
  periods = { { 2000, 2010 }, { 2011, 2019 } },
  growth_periods = { { 2001, 2011 }, { 2012, 2019 }, { 2000, 2019 } },
  map_years = { 2000, 2005, 2010, 2019 },
  out = "out/jiangsu",
}
