-- Shared by the spatial items of the report (t9-t13, Fig. 9-13): colours
-- of the LISA clusters (GeoDa's) and of the Tapio states, variable titles,
-- the county columns, and the geometry Fig. 11 draws (ellipse outlines,
-- the centre's path and its points as small polygons a map can fill).
local M = {}

-- cluster codes 0..6: not significant, HH, LL, LH, HL, no neighbours,
-- left out (no finite value)
M.LISA_COLORS = { "#eeeeee", "#e31a1c", "#1f78b4", "#a6cee3", "#fb9a99", "#969696",
  "#ffffff" }

-- Tapio states 1..8, then undefined
M.TAPIO_COLORS = { "#1a9850", "#91cf60", "#fee08b", "#fc8d59", "#d73027", "#8c6bb1",
  "#bfd3e6", "#4575b4", "#d9d9d9" }

local TITLES = { Q = "Q = C/N", C = "emissions C", N = "sequestration N",
  ECC = "ECC", ESC = "ESC", G = "GDP", P = "population" }

function M.var_title(v) return TITLES[v] or v end

-- code, name, city, region of county i
function M.county(p, i)
  return p.ids[i], p.names and p.names[i] or "", p.city and p.city[i] or "",
    p.region and p.region[i] or ""
end

-- " Left out ...: Q: 320102 (玄武区) (Q = +∞ in 2000)." when a variable's
-- statistics left counties without a finite value out, else "".
function M.left_out_note(s)
  local parts = {}
  for _, v in ipairs(s.variables) do
    local l = s.left_out and s.left_out[v]
    if l and #l > 0 then parts[#parts + 1] = ("%s: %s"):format(v, table.concat(l, ", ")) end
  end
  if #parts == 0 then return "" end
  return (" Left out of that variable's statistics in every year, for lack of a finite "
    .. "value: %s."):format(table.concat(parts, "; "))
end

function M.period_label(pr) return ("%d-%d"):format(pr.from or pr[1], pr.to or pr[2]) end

-- A ring {x1, y1, ...} of points around (x, y) at radius r in degrees
-- (longitude scaled by cos(lat), so it is round on the map).
local function disk(x, y, r, n)
  local ring, k = {}, math.cos(math.rad(y))
  for i = 0, n - 1 do
    local a = 2 * math.pi * i / n
    ring[#ring + 1] = x + r * math.cos(a) / k
    ring[#ring + 1] = y + r * math.sin(a)
  end
  return ring
end
M.disk = disk

-- An ellipse ring drawn as an outline: the ring and a copy shrunk by
-- `width` (degrees) towards its centre, as outer ring and hole.
function M.outline(ring, cx, cy, width)
  local inner, k = {}, math.cos(math.rad(cy))
  for i = 1, #ring, 2 do
    local dx, dy = (ring[i] - cx) * k, ring[i + 1] - cy
    local d = math.sqrt(dx * dx + dy * dy)
    local s = d > width and (d - width) / d or 0.5
    inner[#inner + 1] = cx + (ring[i] - cx) * s
    inner[#inner + 1] = cy + (ring[i + 1] - cy) * s
  end
  -- the hole runs the other way round
  local hole = {}
  for i = #inner - 1, 1, -2 do hole[#hole + 1] = inner[i]; hole[#hole + 1] = inner[i + 1] end
  return { ring, hole }
end

-- The segment from (x1, y1) to (x2, y2) as a thin rectangle of `width`
-- degrees (nil when the points coincide).
function M.segment(x1, y1, x2, y2, width)
  local k = math.cos(math.rad((y1 + y2) / 2))
  local dx, dy = (x2 - x1) * k, y2 - y1
  local d = math.sqrt(dx * dx + dy * dy)
  if d == 0 then return nil end
  local nx, ny = -dy / d * width / 2, dx / d * width / 2
  return { { x1 + nx / k, y1 + ny, x2 + nx / k, y2 + ny, x2 - nx / k, y2 - ny,
    x1 - nx / k, y1 - ny } }
end

-- Adds the spatial results to counties.gpkg's fields and features: per
-- variable and map year the LISA cluster (lisa_Q_2021) and G_i* z
-- (gi_Q_2021), per period the Tapio state and elasticity (tapio_2000_2010,
-- tapio_e_2000_2010).
function M.gpkg_fields(s, fields, feats)
  local function add(name, kind, get)
    fields[#fields + 1] = { name = name, type = kind }
    for i = 1, #feats do feats[i][name] = get(i) end
  end
  for _, v in ipairs(s.variables) do
    for _, y in ipairs(s.map_years) do
      local l, g = s.lisa[v][y], s.gi[v][y]
      add(("lisa_%s_%d"):format(v, y), "string", function(i)
        return l.labels[math.tointeger(l.cluster[i])] end)
      add(("gi_%s_%d"):format(v, y), "real", function(i) return g.z[i] end)
    end
  end
  for _, t in ipairs(s.tapio) do
    local pl = ("%d_%d"):format(t.from, t.to)
    add("tapio_" .. pl, "string", function(i) return t.labels[math.tointeger(t.state[i])] end)
    add("tapio_e_" .. pl, "real", function(i) return t.e[i] end)
  end
end

return M
