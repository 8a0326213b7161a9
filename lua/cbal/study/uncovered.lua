-- Coverage gaps of a raster product: the share of each county outside the
-- raster or on cells without a value, from the zonal engine's valid and
-- missing counts (missing = covered cells without a valid value plus the
-- polygon's area outside the raster, both in cells; valid + missing is the
-- county's area). NPP codes of non-vegetated land (MOD17A3's urban,
-- wetland, snow, barren and water) are covered: NPP 0 there is data.
-- Counties above max_uncovered.warn are named in one warning per product;
-- one above max_uncovered.error stops the study.
local cbal = require "cbal"
local util = require "cbal.study.util"
local fail = util.fail

local M = {}

M.DEFAULT = { warn = 0.005, error = 0.2 }
-- MOD17A3's land-cover codes: urban, wetland, snow and ice, barren, water
M.MOD17_NO_VEGETATION = { 32762, 32763, 32764, 32765, 32766 }

-- The MOD17A3 land-cover codes among the nodata values (a number or list).
function M.land_cover_codes(nodata)
  local set, out = {}, {}
  for _, c in ipairs(type(nodata) == "table" and nodata or { nodata }) do set[c] = true end
  for _, c in ipairs(M.MOD17_NO_VEGETATION) do
    if set[c] then out[#out + 1] = c end
  end
  return out
end

-- {warn =, error =} from the description's max_uncovered (a number: the
-- warning threshold; or a table with either).
function M.limits(v)
  local l = { warn = M.DEFAULT.warn, error = M.DEFAULT.error }
  if type(v) == "number" then l.warn = v
  elseif type(v) == "table" then
    local msg = require("cbal.opts").unknown(v, { "warn", "error" }, "field 'max_uncovered'")
    if msg then fail("%s", msg) end
    l.warn, l.error = v.warn or l.warn, v.error or l.error
  elseif v ~= nil then
    fail("max_uncovered must be a share (e.g. 0.005) or {warn =, error =}, got %s", type(v))
  end
  for _, k in ipairs({ "warn", "error" }) do
    if type(l[k]) ~= "number" or not (l[k] >= 0 and l[k] <= 1) then
      fail("max_uncovered.%s must be a share between 0 and 1, got %s", k, tostring(l[k]))
    end
  end
  if l.warn > l.error then
    fail("max_uncovered: the warning threshold %g is above the error threshold %g, so a county "
      .. "would stop the study before any warning; give {warn = %g, error = a larger share}",
      l.warn, l.error, l.warn)
  end
  return l
end

-- Options opening the NPP raster so that its valid cells are exactly the
-- no-vegetation codes (raw values), or nil when there are none.
function M.no_vegetation_opts(opts, codes)
  if not codes or #codes == 0 then return nil end
  local lo, hi, set = math.huge, -math.huge, {}
  for _, c in ipairs(codes) do
    if math.type(c) ~= "integer" then fail("npp.no_vegetation must list integer codes, got %s", tostring(c)) end
    lo, hi, set[c] = math.min(lo, c), math.max(hi, c), true
  end
  if hi - lo > 1000 then fail("npp.no_vegetation: codes %d to %d are too far apart (at most 1000)", lo, hi) end
  local nodata = {}
  for c = lo, hi do if not set[c] then nodata[#nodata + 1] = c end end
  local o = {}
  for k, v in pairs(opts) do o[k] = v end
  o.nodata, o.range = #nodata > 0 and nodata or nil, { lo, hi }
  return o
end

-- The uncovered share per county: (missing - covered_extra) / (valid +
-- missing); covered_extra (cells with a no-vegetation code) may be nil.
function M.share(stats, covered_extra)
  local missing = stats.missing
  if covered_extra then missing = missing - covered_extra end
  return missing / (stats.valid + stats.missing)
end

-- Raises when a county of product's share a in year y is past the limit.
function M.check_year(p, product, a, y, limits)
  for i = 1, #a do
    if a[i] > limits.error then
      fail("%s: county %s is %.1f %% uncovered in %d (outside the raster or on cells without a "
        .. "value), so its %s sum misses that part; check that the raster covers the counties "
        .. "(%s.path, %s.nodata), or raise max_uncovered.error (now %g)", product, p:label(i),
        100 * a[i], y, product, product, product, limits.error)
    end
  end
end

-- One warning naming the counties of product above limits.warn in some
-- year, with their largest share and its year.
function M.warn_product(p, product, years, limits)
  local list = {}
  for i = 1, p.n do
    local top, when = 0, nil
    for _, y in ipairs(years) do
      local x = p:get(product .. "_uncovered", y)[i]
      if x > top then top, when = x, y end
    end
    if top > limits.warn then list[#list + 1] = { i = i, share = top, year = when } end
  end
  if #list == 0 then return end
  table.sort(list, function(a, b) return a.share > b.share end)
  local parts = {}
  for k, c in ipairs(list) do
    parts[k] = ("%s %.2f %% (%d)"):format(p:label(c.i), 100 * c.share, c.year)
  end
  cbal.warn(("study: %s: %d count%s more than %g %% uncovered (outside the raster or on cells "
    .. "without a value), so %s sums miss that part (%s_uncovered in county_panel.csv): %s")
    :format(product, #list, #list == 1 and "y is" or "ies are", 100 * limits.warn,
    #list == 1 and "its" or "their", product, table.concat(parts, ", ")))
end

return M
