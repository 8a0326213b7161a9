-- Helpers shared by the report's tables, figures, HTML and manifest: the one
-- number format, strictly increasing class edges, the zones as listed, an
-- atomic text write.
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

-- Strict Jenks edges (k classes) of var pooled over the study's map years,
-- shared by the maps of those years and the table of their classes.
function M.pooled_breaks(S, var, k)
  local pooled = {}
  for _, y in ipairs(S.map_years) do pooled[#pooled + 1] = S.panel:get(var, y) end
  return strict(cbal.breaks(pooled, { method = "jenks", k = k }))
end

-- The one number format of the report (tests compare CSV values through it).
function M.fmt(v)
  if type(v) ~= "number" then return tostring(v == nil and "" or v) end
  if v ~= v then return "–" end
  if math.type(v) == "integer" or (v == math.floor(v) and math.abs(v) < 1e9) then
    return string.format("%d", math.tointeger(v) or v)
  end
  local a = math.abs(v)
  if a >= 100 then return string.format("%.1f", v) end
  if a >= 1 then return string.format("%.2f", v) end
  return string.format("%.3f", v)
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
