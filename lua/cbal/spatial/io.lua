-- Spatial weights as GeoDa's GAL (neighbour lists) and GWT (weighted
-- pairs) text files, which GeoDa and PySAL read and write; and the one
-- list of a cbal.Weights' attributes (every one present, false when not
-- applicable, so a misspelt name still raises).
local cbal = require "cbal"
local native = require("cbal.core")._spatial
local opts = require "cbal.opts"

local M = {}

M.ATTRIBUTES = { "rule", "style", "snap", "k", "band", "metric", "metric_basis", "crs", "basis",
  "layer", "geometry", "islands", "island_index", "islands_policy", "source_n", "index", "ids",
  "names", "source_ids", "source_names", "file", "id_field" }

-- Sets w's attributes from t (absent ones false).
function M.attributes(w, t)
  local a = native.attributes(w)
  for _, k in ipairs(M.ATTRIBUTES) do
    local v = t[k]
    if v == nil then v = false end
    a[k] = v
  end
  for k in pairs(t) do
    if a[k] == nil then error("spatial: unknown weights attribute " .. tostring(k)) end
  end
  return w
end

local function kind(where, path)
  local ext = type(path) == "string" and path:lower():match("%.(%w+)$")
  if ext ~= "gal" and ext ~= "gwt" then
    error(("%s: '%s' must end in .gal (neighbours) or .gwt (neighbours with weights)")
      :format(where, tostring(path)), 0)
  end
  return ext
end

-- The units' ids as written: the weights' ids, or 1..n.
local function unit_ids(where, w)
  local ids = {}
  for i = 1, #w do
    local id = w.ids and w.ids[i] or tostring(i)
    if id:find("%s") or id == "" then
      error(("%s: id '%s' of county %d has blanks, which GAL/GWT cannot hold; build the "
        .. "weights with another id field"):format(where, id, i), 0)
    end
    ids[i] = id
  end
  return ids
end

local function write_file(where, path, text)
  local tmp = ("%s.%d.tmp"):format(path, math.random(1, 1 << 30))
  local f, err = io.open(tmp, "wb")
  if not f then error(("%s: cannot write %s: %s"):format(where, path, err), 0) end
  local ok, werr = f:write(text)
  local closed, cerr = f:close()
  if not (ok and closed) then
    os.remove(tmp)
    error(("%s: cannot write %s: %s"):format(where, path, tostring(werr or cerr)), 0)
  end
  local moved, merr = os.rename(tmp, path)
  if not moved then
    os.remove(tmp)
    error(("%s: cannot write %s: %s"):format(where, path, merr), 0)
  end
end

-- w:write(path): GAL or GWT by the extension, written whole or not at all.
function M.write(w, path)
  local where = "weights:write"
  local ext = kind(where, path)
  local ids = unit_ids(where, w)
  local layer = w.layer and tostring(w.layer):match("([^/]+)$"):gsub("%.%w+$", ""):gsub("%s", "_")
  local out = { ("0 %d %s %s"):format(#w, layer or "layer", w.id_field or "id") }
  for i = 1, #w do
    local nb, wt = w:neighbours(i)
    if ext == "gal" then
      out[#out + 1] = ("%s %d"):format(ids[i], #nb)
      local line = {}
      for k, j in ipairs(nb) do line[k] = ids[j] end
      out[#out + 1] = table.concat(line, " ")
    else
      for k, j in ipairs(nb) do
        out[#out + 1] = ("%s %s %.17g"):format(ids[i], ids[j], wt[k])
      end
    end
  end
  write_file(where, path, table.concat(out, "\n") .. "\n")
  return w
end

local function lines(where, path)
  local f, err = io.open(path, "rb")
  if not f then error(("%s: cannot read %s: %s"):format(where, tostring(path), err), 0) end
  local t = {}
  for l in f:lines() do
    l = l:gsub("\r$", "")
    t[#t + 1] = l
  end
  f:close()
  return t
end

local function words(s)
  local t = {}
  for w in s:gmatch("%S+") do t[#t + 1] = w end
  return t
end

-- The header's unit count (legacy "n" or "0 n layer idfield").
local function header(where, path, first)
  local h = words(first or "")
  local n = math.tointeger(tonumber(#h == 1 and h[1] or h[2]))
  if not n or n < 0 then
    error(("%s: %s line 1 must be the header \"0 n layer id\" or \"n\", got '%s'")
      :format(where, path, first or ""), 0)
  end
  return n, h[4]
end

-- Parses records into triplets of id strings.
local function parse(where, path, ext, t)
  local ti, tj, tw, order = {}, {}, {}, {}
  local function bad(ln, what)
    error(("%s: %s line %d: %s"):format(where, path, ln, what), 0)
  end
  local ln = 2
  while ln <= #t do
    local r = words(t[ln])
    if #r == 0 then
      ln = ln + 1
    elseif ext == "gal" then
      local k = math.tointeger(tonumber(r[2]))
      if #r ~= 2 or not k or k < 0 then bad(ln, "expected \"id count\", got '" .. t[ln] .. "'") end
      order[#order + 1] = r[1]
      local nb = k > 0 and words(t[ln + 1] or "") or {}
      if #nb ~= k then bad(ln + 1, ("expected %d neighbour ids, got %d"):format(k, #nb)) end
      for _, j in ipairs(nb) do ti[#ti + 1], tj[#tj + 1], tw[#tw + 1] = r[1], j, 1 end
      ln = ln + (k > 0 and 2 or (t[ln + 1] and t[ln + 1]:match("^%s*$") and 2 or 1))
    else
      local v = tonumber(r[3])
      if #r ~= 3 or not v then bad(ln, "expected \"id neighbour weight\", got '" .. t[ln] .. "'") end
      ti[#ti + 1], tj[#tj + 1], tw[#tw + 1] = r[1], r[2], v
      order[#order + 1] = r[1]
      ln = ln + 1
    end
  end
  return ti, tj, tw, order
end

-- cbal.spatial.read_weights(path [, {ids =, style =}]) -> cbal.Weights.
-- ids (e.g. the layer's id field) orders the counties and may add
-- counties without neighbours; without it the file's order is used. style
-- "W" row-standardises, "B" sets every weight to 1, "asis" keeps the
-- file's weights (default: "W" for GAL, "asis" for GWT).
function M.read(path, o)
  local where = "cbal.spatial.read_weights"
  o = opts.check(where, o, { "ids", "style" })
  local ext = kind(where, path)
  local t = lines(where, path)
  local n, idfield = header(where, path, t[1])
  local ti, tj, tw, order = parse(where, path, ext, t)
  local ids, pos = {}, {}
  if o.ids then
    for i = 1, #o.ids do
      ids[i] = tostring(o.ids[i])
      pos[ids[i]] = i
    end
  else
    local function add(id)
      if not pos[id] then ids[#ids + 1] = id; pos[id] = #ids end
    end
    for _, id in ipairs(order) do add(id) end
    for _, id in ipairs(tj) do add(id) end
    if #ids < n then
      error(("%s: %s declares %d counties but names %d; pass ids = {...} (the layer's ids) "
        .. "to place the others"):format(where, path, n, #ids), 0)
    elseif #ids > n then
      error(("%s: %s names %d counties but its header declares %d; check the file")
        :format(where, path, #ids, n), 0)
    end
  end
  local ii, jj = {}, {}
  for k = 1, #ti do
    ii[k], jj[k] = pos[ti[k]], pos[tj[k]]
    if not ii[k] or not jj[k] then
      error(("%s: %s names county '%s', which is not among the %d ids given"):format(where,
        path, not ii[k] and ti[k] or tj[k], #ids), 0)
    end
  end
  local ok, w = pcall(native.from_triplets, #ids, ii, jj, tw)
  if not ok then error(("%s: %s: %s"):format(where, path, tostring(w):gsub("^.-:%d+: ", "")), 0) end
  local style = opts.enum(where, "style", o.style, { "W", "B", "asis" },
    ext == "gal" and "W" or "asis", 2)
  local card, islands, island_index = w:cardinalities(), {}, {}
  for i = 1, #card do
    if card[i] == 0 then islands[#islands + 1], island_index[#island_index + 1] = ids[i], i end
  end
  M.attributes(w, { rule = ext .. " file", style = "asis", file = path, ids = ids,
    id_field = idfield, source_n = #ids, islands = islands, island_index = island_index,
    islands_policy = "keep" })
  return style == "asis" and w or w:restyled(style)
end

return M
