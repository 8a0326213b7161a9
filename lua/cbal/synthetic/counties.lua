-- County geometry of the synthetic province: a wiggled outline, seeds per
-- city, Voronoi cells with shared wiggled edges, clipped to land; areas.
local cbal = require "cbal"
local P = require "cbal.synthetic.province"
local rng = require "cbal.synthetic.rng"

local C = {}
local KX = P.KX

-- Province outline (lon, lat); vertices 9..19 are the sea coast.
local OUTLINE = {
  116.35,34.45, 116.45,34.75, 116.8,34.95, 117.3,34.70, 117.8,34.65,
  118.2,34.85, 118.45,35.10, 119.0,35.05, 119.3,35.05, 119.45,34.80,
  119.8,34.55, 120.25,34.30, 120.45,33.95, 120.75,33.40, 120.90,32.90,
  121.05,32.55, 121.35,32.30, 121.65,32.05, 121.95,31.75, 121.70,31.68,
  121.15,31.55, 121.15,31.25, 120.95,31.05, 120.75,30.92, 120.45,30.88,
  120.1,31.05, 119.75,31.15, 119.55,31.12, 119.3,31.25, 119.2,31.55,
  118.85,31.35, 118.55,31.55, 118.45,31.85, 118.7,32.15, 118.45,32.45,
  118.65,32.7, 118.35,32.85, 118.15,33.1, 118.1,33.45, 117.85,33.7,
  117.75,34.05, 117.45,34.15, 117.05,34.15, 116.75,34.2, 116.55,34.3 }
local COAST_FIRST, COAST_LAST = 9, 19
local ISLANDS = { {119.92, 34.86, 0.05}, {122.08, 32.0, 0.04} }
local HOLE_HOST, HOLE_GUEST = 320612, 320613

-- Midpoint displacement between a and b (canonical direction), n levels.
local function wiggle(ax, ay, bx, by, amp, r, levels)
  local pts = { {ax, ay}, {bx, by} }
  for _ = 1, levels do
    local out = { pts[1] }
    for k = 1, #pts - 1 do
      local p, q = pts[k], pts[k + 1]
      local dx, dy = (q[1] - p[1]) * KX, q[2] - p[2]
      local len = math.sqrt(dx * dx + dy * dy)
      local off = (r.float() * 2 - 1) * amp * len
      out[#out + 1] = { (p[1] + q[1]) / 2 - dy / len * off / KX,
                        (p[2] + q[2]) / 2 + dx / len * off }
      out[#out + 1] = q
    end
    pts = out
  end
  return pts
end

local function perturbed_outline(seed)
  local ring, n = {}, #OUTLINE // 2
  for i = 1, n do
    local j = i % n + 1
    local coast = i >= COAST_FIRST and i < COAST_LAST
    local pts = wiggle(OUTLINE[2 * i - 1], OUTLINE[2 * i], OUTLINE[2 * j - 1],
                       OUTLINE[2 * j], coast and 0.28 or 0.15, rng(seed + i), 4)
    for k = 1, #pts - 1 do
      ring[#ring + 1] = pts[k][1]; ring[#ring + 1] = pts[k][2]
    end
  end
  return ring
end

local function ellipse(cx, cy, rx, ry, r, n)
  local ring = {}
  for k = 0, n - 1 do
    local a = 2 * math.pi * k / n
    local f = 1 + 0.18 * math.sin(3 * a + r.range(0, 1)) + r.range(-0.06, 0.06)
    ring[#ring + 1] = cx + rx * f * math.cos(a)
    ring[#ring + 1] = cy + ry * f * math.sin(a)
  end
  return ring
end

local function inside(ring, x, y)
  local c, n = false, #ring // 2
  for i = 1, n do
    local j = (i - 2) % n + 1
    local xi, yi, xj, yj = ring[2 * i - 1], ring[2 * i], ring[2 * j - 1], ring[2 * j]
    if (yi > y) ~= (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi then
      c = not c
    end
  end
  return c
end

-- Seeds: core districts near the city centre, the rest on a ring away from
-- neighbouring cities; seeds in the sea are pulled back towards the centre.
local function place_seeds(cities, outline, r)
  local seeds = {}
  for ci, c in ipairs(cities) do
    local near = math.huge
    for cj, o in ipairs(cities) do
      if cj ~= ci then
        near = math.min(near, math.sqrt(((o[4] - c[4]) * KX) ^ 2 + (o[5] - c[5]) ^ 2))
      end
    end
    local rad = math.min(0.42, 0.58 * near)
    local used, ncore = {}, 0
    for _, k in ipairs(c[6]) do
      local x, y
      if k[3] == "c" then
        local a = ncore * 2.4 + r.range(0, 0.5)
        local d = 0.035 * math.sqrt(ncore) + 0.01
        ncore = ncore + 1
        x, y = c[4] + d * math.cos(a) / KX, c[5] + d * math.sin(a)
      else
        local best, bs = nil, -1
        for s = 0, 23 do
          local a = s * math.pi / 12 + r.range(-0.1, 0.1)
          local d = rad * (k[3] == "s" and 0.55 or 1.0)
          local px, py = c[4] + d * math.cos(a) / KX, c[5] + d * math.sin(a)
          local score = math.huge
          for cj, o in ipairs(cities) do
            if cj ~= ci then
              score = math.min(score, math.sqrt(((o[4] - px) * KX) ^ 2 + (o[5] - py) ^ 2))
            end
          end
          for _, u in ipairs(used) do
            score = math.min(score, 1.6 * math.sqrt(((u[1] - px) * KX) ^ 2 + (u[2] - py) ^ 2))
          end
          if not inside(outline, px, py) then score = score * 0.2 end
          if score > bs then best, bs = { px, py }, score end
        end
        x, y = best[1], best[2]
        used[#used + 1] = best
      end
      for _ = 1, 20 do
        if inside(outline, x, y) then break end
        x, y = x + (c[4] - x) * 0.2, y + (c[5] - y) * 0.2
      end
      seeds[#seeds + 1] = { x = x, y = y, code = k[1], name = k[2], kind = k[3],
                            city = c, cityi = ci }
    end
  end
  return seeds
end

-- Voronoi cell of seed i (clipped to box), each vertex tagged with the
-- neighbour whose bisector carries the edge that starts there (0 = box).
local function voronoi_cell(seeds, i, box)
  local s = seeds[i]
  local poly = { {box[1], box[2], 0}, {box[3], box[2], 0}, {box[3], box[4], 0},
                 {box[1], box[4], 0} }
  for j, o in ipairs(seeds) do
    if j ~= i then
      local nx, ny = (o.x - s.x) * KX * KX, o.y - s.y
      local mx, my = (o.x + s.x) / 2, (o.y + s.y) / 2
      local out, n = {}, #poly
      for k = 1, n do
        local a, b = poly[k], poly[k % n + 1]
        local da = (a[1] - mx) * nx + (a[2] - my) * ny
        local db = (b[1] - mx) * nx + (b[2] - my) * ny
        if da <= 0 then out[#out + 1] = a end
        if (da <= 0) ~= (db <= 0) then
          local t = da / (da - db)
          out[#out + 1] = { a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t,
                            da <= 0 and j or a[3] }
        end
      end
      poly = out
    end
  end
  return poly
end

-- Snaps near-equal vertices to one shared coordinate pair.
local function snapper()
  local grid = {}
  return function(x, y)
    local gx, gy = math.floor(x * 1e6), math.floor(y * 1e6)
    for dx = -1, 1 do
      for dy = -1, 1 do
        local p = grid[(gx + dx) .. ":" .. (gy + dy)]
        if p and math.abs(p[1] - x) < 1e-7 and math.abs(p[2] - y) < 1e-7 then
          return p[1], p[2]
        end
      end
    end
    grid[gx .. ":" .. gy] = { x, y }
    return x, y
  end
end

-- County polygons: Voronoi cells with wiggled shared edges, clipped to the
-- province (outline plus islands); one county sits in a hole of another.
local function county_polygons(seeds, outline, islands, seed)
  local box = { 115.8, 30.3, 122.6, 35.7 }
  local snap, rings = snapper(), {}
  for i = 1, #seeds do
    local cell = voronoi_cell(seeds, i, box)
    for _, v in ipairs(cell) do v[1], v[2] = snap(v[1], v[2]) end
    local ring = {}
    for k = 1, #cell do
      local a, b = cell[k], cell[k % #cell + 1]
      ring[#ring + 1] = a[1]; ring[#ring + 1] = a[2]
      local j = a[3]
      if j > 0 then
        local lo, hi = math.min(i, j), math.max(i, j)
        local p, q = a, b
        if i > j then p, q = b, a end
        local pts = wiggle(p[1], p[2], q[1], q[2], 0.12, rng(seed * 7919 + lo * 1000 + hi), 3)
        local from, to, step = 2, #pts - 1, 1
        if i > j then from, to, step = #pts - 1, 2, -1 end
        for k2 = from, to, step do
          ring[#ring + 1] = pts[k2][1]; ring[#ring + 1] = pts[k2][2]
        end
      end
    end
    rings[i] = ring
  end
  local province = cbal.geom_op({ { outline } }, { { outline } }, "union")
  for _, isl in ipairs(islands) do
    province = cbal.geom_op(province, { { isl } }, "union")
  end
  local geoms = {}
  for i, s in ipairs(seeds) do
    geoms[i] = cbal.geom_op({ { rings[i] } }, province, "intersection")
  end
  return geoms
end

local function ring_area_m2(ring)
  local xs, ys = {}, {}
  for k = 1, #ring // 2 do xs[k] = ring[2 * k - 1]; ys[k] = ring[2 * k] end
  local X, Y = cbal.transform(xs, ys, "EPSG:4326", P.LIGHT_CRS)
  local a, n = 0, #X
  for k = 1, n do
    local j = k % n + 1
    a = a + X[k] * Y[j] - X[j] * Y[k]
  end
  return math.abs(a) / 2
end

function C.area_km2(geom)
  local a = 0
  for _, part in ipairs(geom) do
    for k, ring in ipairs(part) do
      a = a + (k == 1 and 1 or -1) * ring_area_m2(ring)
    end
  end
  return a / 1e6
end

-- Counties as records {code, name, city, city_en, city_code, region, geom,
-- x, y, kind}, sorted by code; small keeps three cities.
local function build_counties(seed, small)
  local outline = perturbed_outline(seed)
  local islands = {}
  for i, s in ipairs(ISLANDS) do
    islands[i] = ellipse(s[1], s[2], s[3] / KX, s[3], rng(seed + 100 + i), 24)
  end
  local cities = P.cities
  if small then cities = { P.cities[11], P.cities[10], P.cities[13] } end
  local all = place_seeds(cities, outline, rng(seed))
  local seeds, guest = {}, nil
  for _, s in ipairs(all) do
    if s.code == HOLE_GUEST then guest = s else seeds[#seeds + 1] = s end
  end
  local geoms = county_polygons(seeds, outline, islands, seed)
  for i, s in ipairs(seeds) do s.geom = geoms[i] end
  if guest then
    for _, host in ipairs(seeds) do
      if host.code == HOLE_HOST then
        local ring = ellipse(host.x, host.y, 0.05 / KX, 0.05, rng(seed + 300), 32)
        guest.geom = cbal.geom_op({ { ring } }, host.geom, "intersection")
        host.geom = cbal.geom_op(host.geom, { { ring } }, "difference")
        guest.x, guest.y = host.x, host.y
        host.x = host.x + 0.08 / KX
      end
    end
    seeds[#seeds + 1] = guest
  end
  local out = {}
  for _, s in ipairs(seeds) do
    if s.geom then
      out[#out + 1] = { code = s.code, name = s.name, city = s.city[2],
        city_en = s.city[1], city_code = s.code // 100, region = s.city[3],
        geom = s.geom, x = s.x, y = s.y, kind = s.kind }
    end
  end
  table.sort(out, function(a, b) return a.code < b.code end)
  local n = #OUTLINE // 2
  local sea, per = {}, #outline // 2 // n
  for k = (COAST_FIRST - 1) * per + 1, (COAST_LAST - 1) * per + 1 do
    sea[#sea + 1] = outline[2 * k - 1]; sea[#sea + 1] = outline[2 * k]
  end
  for _, v in ipairs({ 122.05, 30.2, 125.5, 30.2, 125.5, 36.2, sea[1], 36.2 }) do
    sea[#sea + 1] = v
  end
  return out, outline, sea
end

-- County records, outline and sea polygon without writing anything.
C.build_counties = build_counties
-- A wobbly ellipse ring (lon, lat) around (cx, cy), n vertices.
C.ellipse = ellipse

return C
