-- Helpers shared by the report's tables, figures, HTML and manifest: the one
-- number format, strictly increasing class edges, maps by year, county
-- rows, the key numbers, the zones as listed, an atomic text write.
local cbal = require "cbal"

local M = {}

-- Class edges made strictly increasing (Jenks on data with many equal
-- values, e.g. zeros, can repeat an edge); at least two edges.
local function strict(edges)
  local out = {}
  for i = 1, #edges do
    local e = edges[i]
    if e == e and (#out == 0 or e > out[#out]) then out[#out + 1] = e end
  end
  if #out == 0 then out[1] = 0 end
  if #out == 1 then out[2] = out[1] + 1 end
  return out
end
M.strict = strict

-- Strict Jenks edges (k classes) of var's finite values pooled over the
-- given years (the map years), shared by the maps of those years.
function M.pooled_breaks(panel, years, var, k)
  local pooled = {}
  for i, y in ipairs(years) do
    local a = panel:get(var, y)
    pooled[i] = a:where(a:ne(math.huge) * a:ne(-math.huge))
  end
  return strict(cbal.breaks(pooled, { method = "jenks", k = k }))
end

-- A study figure's size, designed as w x h mm for a 183 mm page: at the
-- width of the theme in effect (a slide's 338.7 mm) with the same shape,
-- no higher than the theme's height, as cbal.figures' helpers do.
local function scale()
  local t = cbal.themes.current()
  if not (t and t.width_mm) then return 1, math.huge end
  return t.width_mm / 183, t.height_mm or math.huge
end
M.size = {
  w = function(w) return w * scale() end,
  h = function(_, h)
    local k, top = scale()
    return math.min(h * k, top)
  end,
}

-- What every study map draws besides its counties (I: the inputs of a
-- map figure): the city outlines on top, graticule ticks on the frame, a
-- locator map when the study has a locator layer, and the study's theme.
function M.map_extras(I)
  return { overlay = I.cities and { layer = I.cities, width = 0.35 } or nil,
           graticule = { lines = false },
           locator = I.locator and { layer = I.locator } or nil, theme = I.theme }
end

-- The inputs of a map figure beyond its own: the city outlines, and the
-- optional locator layer and theme.
M.MAP_INPUTS = { "cities" }
M.MAP_OPTIONAL = { "locator", "theme" }

-- County maps of var, one per map year, at one scale with shared breaks
-- and one legend (cbal.figures.maps_by_year); I has panel, layer,
-- map_years and the map extras' inputs; o = {breaks =, palette =,
-- center =, legend = title}.
function M.year_maps(I, title, var, o)
  local spec = M.map_extras(I)
  spec.layer, spec.years, spec.breaks, spec.palette = I.layer, I.map_years, o.breaks, o.palette
  spec.center = o.center
  spec.values = function(y) return I.panel:get(var, y) end
  spec.legend, spec.cols = { title = o.legend }, #I.map_years > 2 and 2 or nil
  spec.title, spec.dpi = title, 150
  return cbal.figures.maps_by_year(spec)
end

-- One row per county of year y: code, name, city, region, year, vars.
function M.county_rows(p, y, vars)
  local rows = {}
  for i = 1, p.n do
    local r = { p.ids[i], p.names and p.names[i] or "", p.city and p.city[i] or "",
                p.region and p.region[i] or "", y }
    for _, v in ipairs(vars) do r[#r + 1] = p:has(v, y) and p:get(v, y)[i] or 0 / 0 end
    rows[#rows + 1] = r
  end
  return rows
end

-- The key numbers of the first and last year: provincial C, N, Q, the
-- imbalanced counties (Q > 1) and those with Q < 1.
function M.key_numbers(panel, prov, years)
  local k = {}
  for _, y in ipairs({ years[1], years[#years] }) do
    local Q = panel:get("Q", y)
    k[#k + 1] = { year = y, C = prov[y].C, N = prov[y].N, Q = prov[y].C / prov[y].N,
                  imbalanced = Q:gt(1):sum(), sink = Q:lt(1):sum() }
  end
  return k[1], k[2]
end

-- The one number format of the report (tests compare CSV values through it).
function M.fmt(v)
  if type(v) ~= "number" then return tostring(v == nil and "" or v) end
  if v ~= v then return "–" end
  if v == math.huge then return "∞" end
  if v == -math.huge then return "−∞" end
  if math.type(v) == "integer" or (v == math.floor(v) and math.abs(v) < 1e9) then
    return string.format("%d", math.tointeger(v) or v)
  end
  local a = math.abs(v)
  if a >= 100 then return string.format("%.1f", v) end
  if a >= 1 then return string.format("%.2f", v) end
  return string.format("%.3f", v)
end

-- The note of an LMDI table naming the counties without a decomposition
-- per period (which = "county", "chained" or "province"), or nil.
function M.undefined_note(lmdi, which)
  local parts = {}
  for _, L in ipairs(lmdi) do
    local r = which == "province" and L.province.province or L[which]
    if #r.reasons > 0 then
      parts[#parts + 1] = ("%d-%d: %s"):format(L.from, L.to, table.concat(r.reasons, "; "))
    end
  end
  if #parts == 0 then return nil end
  return (which == "province" and "Counties the 5-factor identity cannot include (their part of dQ "
    .. "is not_decomposed; Q_from and Q_to are over every county): "
    or "Counties without a decomposition (effects missing): ") .. table.concat(parts, " | ")
end

-- Which side of a cut a value exactly at it falls on, from the zoning's
-- info: "Cuts: ECC 1, ESC 1; a value exactly at a cut counts as high (ECC
-- >= 1 is high)."
function M.tie_note(zi)
  local names = {}
  for v in pairs(zi.thresholds or {}) do names[#names + 1] = v end
  if #names == 0 then return nil end
  table.sort(names)
  local cuts = {}
  for k, v in ipairs(names) do cuts[k] = ("%s %s"):format(v, M.fmt(zi.thresholds[v])) end
  local v1 = names[1]
  local side = zi.tie == "lower" and ("low (%s = %s is low; high needs >)")
    or ("high (%s >= %s is high)")
  return ("Cuts: %s; a value exactly at a cut counts as " .. side .. "."):format(
    table.concat(cuts, ", "), v1, M.fmt(zi.thresholds[v1]))
end

-- The zones in the order the report lists them: the criteria's zones, then
-- the fallback zone (criteria.otherwise) when counties fell to it and the
-- criteria do not list it themselves.
function M.zone_list(S)
  local zi, list, listed = S.zone_info, {}, false
  for k, z in ipairs(zi.order) do
    list[k] = z
    listed = listed or z == zi.otherwise
  end
  if not listed and (S.zone_counts[zi.otherwise] or 0) > 0 then list[#list + 1] = zi.otherwise end
  return list
end

-- Writes text to path atomically (temp file + rename); raises naming the
-- file when it cannot be opened, written or moved into place.
function M.write_text(path, text)
  local tmp = path .. ".tmp"
  local f = assert(io.open(tmp, "wb"))
  local ok, err = f:write(text)
  local closed, cerr = f:close()
  if not (ok and closed) then
    os.remove(tmp)
    error(("cannot write %s: %s"):format(path, tostring(err or cerr)), 0)
  end
  assert(os.rename(tmp, path))
end

return M
