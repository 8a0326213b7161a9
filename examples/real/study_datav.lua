-- The study on the current 95 county-level units of Jiangsu (Aliyun DataV
-- boundaries, as merged into one GeoJSON), laid out under data/jiangsu/ like
-- study.lua. DataV keeps the pre-2020 codes 320602 (崇川区, which includes
-- the former 港闸区) and 320684 (海门区); yearbooks since 2020 use 320613 and
-- 320614, so the socio-economic table is joined with socio.recode.
-- Run: build/cbal scripts/study.lua examples/real/study_datav.lua
local root = "data/jiangsu"
return {
  title = "County carbon balance of Jiangsu Province (95 units), 2000–2019",
  counties = { path = root .. "/boundaries/jiangsu_county_datav2025.geojson",
               id = "adcode", name = "name", city = "city_name", datum = "gcj02" },
  regions = {
    south = { "南京市", "无锡市", "常州市", "苏州市", "镇江市" },
    central = { "南通市", "扬州市", "泰州市" },
    north = { "徐州市", "连云港市", "淮安市", "盐城市", "宿迁市" },
  },
  years = { 2000, 2019 },
  emissions = { ceads = root .. "/ceads/Emission_Inventories_for_30_Provinces_{year}.xlsx",
                province = "Jiangsu" },
  light = { path = root .. "/ntl/DMSP-like{year}.tif" },
  npp = { path = root .. "/npp/MOD17A3HGF.A{year}001.h2[78]v05.*.hdf", units = "kg C",
          nodata = { 32761, 32762, 32763, 32764, 32765, 32766, 32767 },
          range = { -30000, 32700 } },
  -- a yearbook export from Excel is often GBK; GDP in 100 million yuan,
  -- population in 10k persons and area in km2 need no units entry
  socio = { table = root .. "/yearbook/county_socioeconomic.csv", id = "adcode",
            year = "year", gdp = "gdp", population = "population", area = "area",
            encoding = "GBK",
            recode = { ["320613"] = "320602", ["320614"] = "320684" } },
  coverage = "exact",
  criteria = "default",
  periods = { { 2000, 2010 }, { 2011, 2019 } },
  growth_periods = { { 2001, 2011 }, { 2012, 2019 }, { 2000, 2019 } },
  map_years = { 2000, 2005, 2010, 2019 },
  out = "out/jiangsu_datav",
}
