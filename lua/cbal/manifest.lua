-- manifest.json of a study: inputs and outputs with sizes and SHA-256,
-- parameters (coverage mode, nodata sets, conversion factors, LMDI variant,
-- criteria) and versions, so a figure can be traced and rerun.
local cbal = require "cbal"
local common = require "cbal.report.common"
local json = require "cbal.json"

local M = {}

-- JSON text of v; `where` names the value in messages ("parameters.title").
-- Text that is not UTF-8 is refused: JSON cannot hold it.
local function encode(v, indent, where)
  indent, where = indent or "", where or "value"
  local t = type(v)
  if t == "nil" then return "null" end
  if t == "boolean" then return tostring(v) end
  if t == "number" then return json.number(v) end
  if t == "string" then
    if not utf8.len(v) then
      error(("manifest: %s ('%s') is not UTF-8 text; rename the file or give the "
        .. "text in UTF-8"):format(where, v:sub(1, 40):gsub("[\128-\255]", function(c)
          return ("\\x%02x"):format(c:byte())
        end)), 0)
    end
    return json.string(v)
  end
  if t ~= "table" then return json.string(tostring(v)) end
  local inner = indent .. "  "
  if #v > 0 or next(v) == nil then
    local parts = {}
    for i, x in ipairs(v) do parts[#parts + 1] = inner .. encode(x, inner, ("%s[%d]"):format(where, i)) end
    if #parts == 0 then return "[]" end
    return "[\n" .. table.concat(parts, ",\n") .. "\n" .. indent .. "]"
  end
  local keys = {}
  for k in pairs(v) do keys[#keys + 1] = tostring(k) end
  table.sort(keys)
  local parts = {}
  for _, k in ipairs(keys) do
    local x = v[k]
    if x == nil then x = v[math.tointeger(tonumber(k)) or k] end
    local at = where == "value" and k or where .. "." .. k
    parts[#parts + 1] = inner .. encode(k, nil, at .. " (a key)") .. ": " .. encode(x, inner, at)
  end
  return "{\n" .. table.concat(parts, ",\n") .. "\n" .. indent .. "}"
end
M.encode = encode

-- {path, role, bytes, sha256} for each file (each path once); read(path)
-- is where the file is now (its staging folder).
local function files(list, read)
  local out, seen = {}, {}
  for _, f in ipairs(list) do
    if not seen[f.path] then
      seen[f.path] = true
      local hex, size = cbal.sha256(read and read(f.path) or f.path)
      out[#out + 1] = { path = f.path, role = f.role or f.kind, title = f.title,
                        bytes = size, sha256 = hex }
    end
  end
  return out
end

-- Writes manifest.json of study state S (paths final, in S.out) into
-- folder `dir` (default S.out): the staging folder that holds the files
-- until they are published.
function M.write(S, d, dir)
  dir = dir or S.out
  local pre = S.out .. "/"
  local function read(path)
    return path:sub(1, #pre) == pre and dir .. "/" .. path:sub(#pre + 1) or path
  end
  local crit = S.criteria
  local man = {
    cbal = cbal.version, gdal = cbal.gdal_version, lua = cbal.lua_version,
    title = d.title,
    -- paths are as the description gave them, relative to this folder
    workdir = os.getenv("PWD"),
    inputs = files(S.inputs),
    parameters = {
      coverage = S.params.coverage,
      years = { S.years[1], S.years[#S.years] },
      light_nodata = S.params.light_nodata,
      npp_nodata = S.params.npp_nodata,
      npp_units = S.params.npp_units,
      socio_units = S.params.socio_units,
      socio_join = S.params.socio_join,
      conversion = S.params.conversion,
      co2_per_c = require("cbal.carbon").CO2_PER_C,
      emissions = S.params.emissions_source,
      allocation = S.params.allocation,
      datum = S.params.datum,
      validation = S.params.validation,
      spatial = S.params.spatial,
      lmdi = S.params.lmdi,
      lmdi_periods = S.periods,
      growth_periods = S.growth_periods,
      criteria = type(crit) == "table" and (crit.name or "table given in the description") or crit,
      zoning_year = S.zone_info.year,
      reprojected = S.params.reprojected,
      grids = S.params.grids, -- coverages built: one per distinct raster grid
      map_years = S.map_years,
      per_capita_periods = S.per_capita_periods,
      theme = S.params.theme, -- the figures' theme, however it was given
    },
    outputs = files(S.outputs, read),
    seconds = { compute = S.compute_seconds },
  }
  common.write_text(dir .. "/manifest.json", encode(man) .. "\n")
  return man
end

return M
