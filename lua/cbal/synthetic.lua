-- The built-in synthetic province: a Jiangsu-like set of counties, night
-- lights, MOD17A3-like NPP, emissions, CEADs-style workbooks and a
-- socio-economic table, seeded and byte-identical on every run.
local cbal = require "cbal"

local M = {}
M.version = "5"

-- CRSs as the real series declare them: a China Albers on Krasovsky (the
-- DMSP-like 1 km series) and the MODIS sinusoidal sphere.
M.LIGHT_CRS = 'PROJCS["China Albers Equal Area (Krasovsky)",GEOGCS["Krasovsky 1940",' ..
  'DATUM["Krassowsky_1940",SPHEROID["Krassowsky 1940",6378245,298.3]],PRIMEM["Greenwich",0],' ..
  'UNIT["degree",0.0174532925199433]],PROJECTION["Albers_Conic_Equal_Area"],' ..
  'PARAMETER["latitude_of_center",0],PARAMETER["longitude_of_center",105],' ..
  'PARAMETER["standard_parallel_1",25],PARAMETER["standard_parallel_2",47],' ..
  'PARAMETER["false_easting",0],PARAMETER["false_northing",0],UNIT["metre",1]]'
M.NPP_CRS = 'PROJCS["MODIS Sinusoidal",GEOGCS["Unknown datum based upon the custom spheroid",' ..
  'DATUM["Not specified (based on custom spheroid)",SPHEROID["Custom spheroid",6371007.181,0]],' ..
  'PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Sinusoidal"],' ..
  'PARAMETER["longitude_of_center",0],PARAMETER["false_easting",0],' ..
  'PARAMETER["false_northing",0],UNIT["metre",1]]'
M.NPP_CELL = 463.312716528
M.MODIS_X0, M.MODIS_Y0 = -20015109.354, 10007554.677

-- Cities: english name, chinese name, region, centre; counties as
-- {adcode, name, kind} with kind "c" core district, "s" suburban district,
-- "o" county or county-level city.
M.cities = {
  { "Nanjing", "南京市", "south", 118.80, 32.05, {
    {320102, "玄武区", "c"}, {320104, "秦淮区", "c"}, {320105, "建邺区", "c"},
    {320106, "鼓楼区", "c"}, {320111, "浦口区", "s"}, {320113, "栖霞区", "s"},
    {320114, "雨花台区", "c"}, {320115, "江宁区", "s"}, {320116, "六合区", "s"},
    {320117, "溧水区", "o"}, {320118, "高淳区", "o"} } },
  { "Wuxi", "无锡市", "south", 120.30, 31.57, {
    {320205, "锡山区", "s"}, {320206, "惠山区", "s"}, {320211, "滨湖区", "c"},
    {320213, "梁溪区", "c"}, {320214, "新吴区", "c"}, {320281, "江阴市", "o"},
    {320282, "宜兴市", "o"} } },
  { "Xuzhou", "徐州市", "north", 117.20, 34.26, {
    {320302, "鼓楼区", "c"}, {320303, "云龙区", "c"}, {320305, "贾汪区", "s"},
    {320311, "泉山区", "c"}, {320312, "铜山区", "s"}, {320321, "丰县", "o"},
    {320322, "沛县", "o"}, {320324, "睢宁县", "o"}, {320381, "新沂市", "o"},
    {320382, "邳州市", "o"} } },
  { "Changzhou", "常州市", "south", 119.95, 31.78, {
    {320402, "天宁区", "c"}, {320404, "钟楼区", "c"}, {320411, "新北区", "s"},
    {320412, "武进区", "s"}, {320413, "金坛区", "o"}, {320481, "溧阳市", "o"} } },
  { "Suzhou", "苏州市", "south", 120.60, 31.30, {
    {320505, "虎丘区", "c"}, {320506, "吴中区", "s"}, {320507, "相城区", "s"},
    {320508, "姑苏区", "c"}, {320509, "吴江区", "s"}, {320581, "常熟市", "o"},
    {320582, "张家港市", "o"}, {320583, "昆山市", "o"}, {320585, "太仓市", "o"} } },
  { "Nantong", "南通市", "central", 120.90, 32.00, {
    {320613, "崇川区", "c"}, {320612, "通州区", "s"}, {320614, "海门区", "o"},
    {320623, "如东县", "o"}, {320681, "启东市", "o"}, {320682, "如皋市", "o"},
    {320685, "海安市", "o"} } },
  { "Lianyungang", "连云港市", "north", 119.20, 34.60, {
    {320703, "连云区", "c"}, {320706, "海州区", "c"}, {320707, "赣榆区", "s"},
    {320722, "东海县", "o"}, {320723, "灌云县", "o"}, {320724, "灌南县", "o"} } },
  { "Huai'an", "淮安市", "north", 119.02, 33.60, {
    {320803, "淮安区", "s"}, {320804, "淮阴区", "s"}, {320812, "清江浦区", "c"},
    {320813, "洪泽区", "s"}, {320826, "涟水县", "o"}, {320830, "盱眙县", "o"},
    {320831, "金湖县", "o"} } },
  { "Yancheng", "盐城市", "north", 120.15, 33.35, {
    {320902, "亭湖区", "c"}, {320903, "盐都区", "s"}, {320904, "大丰区", "o"},
    {320921, "响水县", "o"}, {320922, "滨海县", "o"}, {320923, "阜宁县", "o"},
    {320924, "射阳县", "o"}, {320925, "建湖县", "o"}, {320981, "东台市", "o"} } },
  { "Yangzhou", "扬州市", "central", 119.42, 32.39, {
    {321002, "广陵区", "c"}, {321003, "邗江区", "s"}, {321012, "江都区", "s"},
    {321023, "宝应县", "o"}, {321081, "仪征市", "o"}, {321084, "高邮市", "o"} } },
  { "Zhenjiang", "镇江市", "south", 119.45, 32.18, {
    {321102, "京口区", "c"}, {321111, "润州区", "c"}, {321112, "丹徒区", "s"},
    {321181, "丹阳市", "o"}, {321182, "扬中市", "o"}, {321183, "句容市", "o"} } },
  { "Taizhou", "泰州市", "central", 119.92, 32.46, {
    {321202, "海陵区", "c"}, {321203, "高港区", "s"}, {321204, "姜堰区", "s"},
    {321281, "兴化市", "o"}, {321282, "靖江市", "o"}, {321283, "泰兴市", "o"} } },
  { "Suqian", "宿迁市", "north", 118.28, 33.96, {
    {321302, "宿城区", "c"}, {321311, "宿豫区", "s"}, {321322, "沭阳县", "o"},
    {321323, "泗阳县", "o"}, {321324, "泗洪县", "o"} } },
}
M.regions = { south = "苏南", central = "苏中", north = "苏北" }

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
local LAKES = { {120.18, 31.22, 0.26, 0.2}, {118.72, 33.30, 0.17, 0.16},
                {119.33, 32.85, 0.08, 0.16} }
local RIVER = { 118.40,31.68, 118.75,32.05, 119.05,32.22, 119.45,32.26,
                119.90,32.10, 120.30,31.97, 120.80,31.85, 121.30,31.72,
                121.95,31.58 }
local FOREIGN = { {121.45, 31.22, 2.2}, {117.39, 32.92, 0.8},
                  {118.31, 32.30, 0.6}, {118.50, 31.67, 0.7},
                  {118.35, 35.10, 0.8}, {120.10, 30.87, 0.6},
                  {120.75, 30.75, 0.7} }
local HOLE_HOST, HOLE_GUEST = 320612, 320613
-- Provincial CO2 emissions (Mt) shaped like the published series.
M.emissions = {}
for i, v in ipairs({ 199, 192, 215, 258, 318, 392, 440, 478, 500, 532, 590,
                     637, 650, 690, 695, 720, 745, 760, 775, 800, 815, 847 }) do
  M.emissions[1999 + i] = v
end

-- splitmix64 on Lua integers: a seeded, platform-independent stream.
local function rng(seed)
  local s = seed
  local r = {}
  function r.int()
    s = s + 0x9E3779B97F4A7C15
    local z = s
    z = (z ~ (z >> 30)) * 0xBF58476D1CE4E5B9
    z = (z ~ (z >> 27)) * 0x94D049BB133111EB
    return z ~ (z >> 31)
  end
  function r.float() return (r.int() >> 11) * 2.0^-53 end
  function r.range(a, b) return a + (b - a) * r.float() end
  function r.normal()
    return math.sqrt(-2 * math.log(1 - r.float())) * math.cos(2 * math.pi * r.float())
  end
  return r
end
M.rng = rng

local KX = math.cos(math.rad(33)) -- lon scale for isotropic distances

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

local function river_band()
  local left, right, n = {}, {}, #RIVER // 2
  for i = 1, n do
    local a, b = math.max(i - 1, 1), math.min(i + 1, n)
    local dx, dy = (RIVER[2 * b - 1] - RIVER[2 * a - 1]) * KX, RIVER[2 * b] - RIVER[2 * a]
    local len = math.sqrt(dx * dx + dy * dy)
    local w = 0.015 + 0.06 * ((i - 1) / (n - 1)) ^ 2
    local nx, ny = -dy / len * w / KX, dx / len * w
    left[#left + 1] = { RIVER[2 * i - 1] + nx, RIVER[2 * i] + ny }
    table.insert(right, 1, { RIVER[2 * i - 1] - nx, RIVER[2 * i] - ny })
  end
  local ring = {}
  for _, p in ipairs(left) do ring[#ring + 1] = p[1]; ring[#ring + 1] = p[2] end
  for _, p in ipairs(right) do ring[#ring + 1] = p[1]; ring[#ring + 1] = p[2] end
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
  local X, Y = cbal.transform(xs, ys, "EPSG:4326", M.LIGHT_CRS)
  local a, n = 0, #X
  for k = 1, n do
    local j = k % n + 1
    a = a + X[k] * Y[j] - X[j] * Y[k]
  end
  return math.abs(a) / 2
end

function M.area_km2(geom)
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
  local cities = M.cities
  if small then cities = { M.cities[11], M.cities[10], M.cities[13] } end
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

-- County records and outline without writing anything (for tests).
M.build_counties = build_counties

-- A grid covering the outline (+10 km) in crs, aligned on (x0, y0).
local function grid_for(outline, crs, cell, x0, y0)
  local xs, ys = {}, {}
  for k = 1, #outline // 2 do xs[k] = outline[2 * k - 1]; ys[k] = outline[2 * k] end
  local X, Y = cbal.transform(xs, ys, "EPSG:4326", crs)
  local m = 10000
  local c0 = math.floor((X:min() - m - x0) / cell)
  local c1 = math.ceil((X:max() + m - x0) / cell)
  local r0 = math.floor((y0 - Y:max() - m) / cell)
  local r1 = math.ceil((y0 - Y:min() + m) / cell)
  local g = { width = c1 - c0, height = r1 - r0, cell = cell, crs = crs,
              gt = { x0 + c0 * cell, cell, 0, y0 - r0 * cell, 0, -cell } }
  g.xs = cbal.seq(0, g.width - 1) * cell + (g.gt[1] + cell / 2)
  return g
end

-- Land classes on a grid: 0 foreign land, 1 province, 2 inland water, 3 sea.
local function classes(g, counties, sea, seed)
  local geoms, vals = { { { sea } } }, { 3 }
  for _, c in ipairs(counties) do geoms[#geoms + 1] = c.geom; vals[#vals + 1] = 1 end
  for i, l in ipairs(LAKES) do
    geoms[#geoms + 1] = { { ellipse(l[1], l[2], l[3] / KX, l[4], rng(seed + 200 + i), 40) } }
    vals[#vals + 1] = 2
  end
  geoms[#geoms + 1] = { { river_band() } }; vals[#vals + 1] = 2
  return cbal.rasterize(geoms, { width = g.width, height = g.height,
    geotransform = g.gt, crs = g.crs, src_crs = "EPSG:4326", values = vals })
end

-- Smooth value noise in [0, 1] (lattice every `span` metres) mixed with a
-- little white noise, as one row-major array.
local function noise_field(g, seed, span)
  local r = rng(seed)
  local lw = math.ceil(g.width * g.cell / span) + 2
  local lh = math.ceil(g.height * g.cell / span) + 2
  local lat = {}
  for k = 1, lw * lh do lat[k] = r.float() end
  local out = cbal.array(g.width * g.height)
  local f = g.cell / span
  local k = 0
  for y = 0, g.height - 1 do
    local fy = y * f
    local j = math.floor(fy); local ty = fy - j
    local b0, b1 = j * lw, (j + 1) * lw
    for x = 0, g.width - 1 do
      local fx = x * f
      local i = math.floor(fx); local tx = fx - i
      local v = (lat[b0 + i + 1] * (1 - tx) + lat[b0 + i + 2] * tx) * (1 - ty) +
                (lat[b1 + i + 1] * (1 - tx) + lat[b1 + i + 2] * tx) * ty
      k = k + 1
      out[k] = 0.8 * v + 0.2 * r.float()
    end
  end
  return out
end

-- Light sources: one core per county, two towns per county, big foreign
-- cities. dev in (0, 2]; t0 = year of half growth.
local function light_sources(counties, seed)
  local r = rng(seed + 400)
  local regdev = { south = 0.85, central = 0.62, north = 0.55 }
  local regt0 = { south = 2004, central = 2008, north = 2010.5 }
  local kinddev = { c = 1.7, s = 1.0, o = 0.65 }
  local src = {}
  for _, c in ipairs(counties) do
    local dev = regdev[c.region] * kinddev[c.kind] * r.range(0.8, 1.25)
    src[#src + 1] = { c.x, c.y, dev, regt0[c.region] + r.range(-1.5, 1.5), 1 }
    for _ = 1, 2 do
      src[#src + 1] = { c.x + r.range(-0.12, 0.12) / KX, c.y + r.range(-0.12, 0.12),
                        dev * 0.3, regt0[c.region] + r.range(-1, 3), 0.5 }
    end
  end
  for _, f in ipairs(FOREIGN) do src[#src + 1] = { f[1], f[2], f[3], 2004, 1 } end
  return src
end

-- Sources placed on grid g: x, y in the grid's CRS.
local function place(src, g)
  local xs, ys = {}, {}
  for i, s in ipairs(src) do xs[i] = s[1]; ys[i] = s[2] end
  local X, Y = cbal.transform(xs, ys, "EPSG:4326", g.crs)
  local out = {}
  for i, s in ipairs(src) do
    out[i] = { x = X[i], y = Y[i], dev = s[3], t0 = s[4], size = s[5] }
  end
  return out
end

-- Per year: amplitude (DN) and spread (m) of each source, and its
-- row-independent x profile on grid g.
local function year_profiles(placed, g, year)
  local prof = {}
  for i, s in ipairs(placed) do
    local grow = 1 / (1 + math.exp(-(year - s.t0) / 3.5))
    local amp = (20 + 90 * s.dev * grow) * s.size
    local sig = (1500 + 3000 * s.dev * grow) * s.size
    local gx = (((g.xs - s.x) / sig) ^ 2 * -0.5):exp() * amp
    prof[i] = { y = s.y, sig = sig, gx = gx }
  end
  return prof
end

-- Urban light intensity (DN before saturation) of row y (1-based) on g.
local function urban_row(prof, g, y)
  local yc = g.gt[4] - (y - 0.5) * g.cell
  local u = cbal.array(g.width, 0)
  for _, p in ipairs(prof) do
    local d = (yc - p.y) / p.sig
    if d > -3.5 and d < 3.5 then u = u + p.gx * math.exp(-0.5 * d * d) end
  end
  return u
end

local function light_raster(path, g, cls, noise, prof, year)
  local w = g.width
  local rural = 1.5 + 4 * (year - 2000) / 21
  cbal.write_raster(path, { width = w, height = g.height, geotransform = g.gt,
    crs = g.crs, type = "Byte", tiled = true, compress = "DEFLATE",
    values = function(y)
      local c = cls:slice((y - 1) * w + 1, y * w)
      local v = urban_row(prof, g, y) + noise:slice((y - 1) * w + 1, y * w) * rural
      v = v:where(v:le(63), 63)
      return v * (c:eq(0) + c:eq(1))
    end })
end

-- Vegetation productivity (kg C/m2/yr) hot spots: the south-west hills and
-- the Xuzhou hills, as sources with fixed amplitude.
local HILLS = { {119.30, 31.50, 0.25, 45000}, {118.95, 32.05, 0.12, 25000},
                {117.30, 34.35, 0.08, 30000} }

local function npp_raster(path, g, cls, noise, prof, hills, year, f)
  local w = g.width
  cbal.write_raster(path, { width = w, height = g.height, geotransform = g.gt,
    crs = g.crs, type = "Int16", scale = 0.0001, offset = 0, nodata = 32767,
    tiled = true, compress = "DEFLATE",
    values = function(y)
      local a, b = (y - 1) * w + 1, y * w
      local c, nz = cls:slice(a, b), noise:slice(a, b)
      local urb = urban_row(prof, g, y) / 63
      urb = urb:where(urb:le(1), 1)
      local base = urban_row(hills, g, y) + 0.36 + (nz - 0.5) * 0.16
      local v = base * f * (1 - urb * 0.7) / 0.0001
      v = v:where(urb:lt(0.8) + nz:lt(0.3), 32762) -- parks stay vegetated
      v = v:where(nz:lt(0.985), 32761)
      v = v:where(c:ne(2), 32766)
      return v:where(c:ne(3), 32767)
    end })
end

local function hill_profiles(g)
  local src = {}
  for i, h in ipairs(HILLS) do src[i] = { h[1], h[2], 0, 0, 0 } end
  local placed = place(src, g)
  local prof = {}
  for i, h in ipairs(HILLS) do
    local p = placed[i]
    prof[i] = { y = p.y, sig = h[4],
                gx = (((g.xs - p.x) / h[4]) ^ 2 * -0.5):exp() * h[3] }
  end
  return prof
end

-- County x year table: area (km2), population (10k persons), GDP (100
-- million yuan) with a south-rich, north-poor gradient.
local function socio_table(counties, years, seed)
  local r = rng(seed + 500)
  local dens = { south = { c = 6000, s = 1100, o = 750 },
                 central = { c = 3500, s = 900, o = 700 },
                 north = { c = 3000, s = 800, o = 650 } }
  local pc0 = { south = 2.4, central = 1.1, north = 0.7 }
  local kindpc = { c = 1.6, s = 1.1, o = 0.85 }
  local pgrow = { south = 0.013, central = 0.001, north = -0.001 }
  local g1 = { south = 0.125, central = 0.13, north = 0.135 }
  local g2 = { south = 0.07, central = 0.08, north = 0.075 }
  local cols = { code = {}, name = {}, year = {}, gdp = {}, population = {}, area = {} }
  for _, c in ipairs(counties) do
    local area = M.area_km2(c.geom)
    local pop = dens[c.region][c.kind] * r.range(0.85, 1.15) * area / 1e4
    local pc = pc0[c.region] * kindpc[c.kind] * r.range(0.85, 1.15)
    for y = 2000, years[2] do
      if y >= years[1] then
        local k = #cols.code + 1
        cols.code[k], cols.name[k], cols.year[k] = c.code, c.name, y
        cols.area[k] = math.floor(area * 100 + 0.5) / 100
        cols.population[k] = math.floor(pop * 100 + 0.5) / 100
        cols.gdp[k] = math.floor(pop * pc * 100 + 0.5) / 100
      end
      pop = pop * (1 + pgrow[c.region] + (c.kind == "c" and 0.005 or 0) + r.range(-0.003, 0.003))
      pc = pc * (1 + (y < 2011 and g1 or g2)[c.region] + r.range(-0.015, 0.015))
    end
  end
  return cols
end

local function q(s) return "'" .. tostring(s):gsub("'", "'\\''") .. "'" end

local function mkdir(d)
  local ok = os.execute("mkdir -p " .. q(d))
  if not ok then error(("cannot create folder %s"):format(d), 0) end
end

local function read_all(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local s = f:read("a")
  f:close()
  return s
end

-- Files of a generated province in dir, as a study would name them.
function M.files(dir, years)
  return {
    dir = dir, years = years,
    counties = dir .. "/counties.gpkg", layer = "counties",
    light = dir .. "/light/DMSP-like{year}.tif",
    npp = dir .. "/npp/MOD17A3H_{year}.tif",
    emissions = dir .. "/emissions.csv",
    ceads = dir .. "/ceads/Emission_Inventories_for_30_Provinces_{year}.xlsx",
    ceads_years = { years[1], years[2] },
    socio = dir .. "/socioeconomic.csv",
    stamp = dir .. "/stamp.txt",
  }
end

local function stamp_text(o)
  return ("cbal synthetic province v%s seed=%d small=%s years=%d-%d\n"):format(
    M.version, o.seed, tostring(o.small), o.years[1], o.years[2])
end

-- CEADs-style workbooks (header row, units row, total row, sectors) in the
-- old label style before 2015 and the new one after.
local function ceads_books(files)
  local sectors = { "Farming, Forestry, Animal Husbandry, Fishery and Water Conservancy",
    "Coal Mining and Dressing", "Production and Supply of Electric Power, Steam and Hot Water",
    "Smelting and Pressing of Ferrous Metals", "Urban", "Rural" }
  local share = { 0.02, 0.03, 0.52, 0.23, 0.12, 0.08 }
  for i, y in ipairs(files.ceads_years) do
    local new = y >= 2015 or i == 2
    local total = M.emissions[y]
    local head = new and "Scope_1_Total" or "Scope 1 Total"
    local label = { "", new and "TotalEmissions" or "Total Consumption" }
    local coal, oil, scope = { "Mt CO2", total * 0.8 }, { "Mt CO2", total * 0.2 },
                             { "Mt CO2", total }
    for i, sec in ipairs(sectors) do
      label[#label + 1] = sec
      coal[#coal + 1] = total * share[i] * 0.8
      oil[#oil + 1] = total * share[i] * 0.2
      scope[#scope + 1] = total * share[i]
    end
    cbal.write_table((files.ceads:gsub("{year}", tostring(y))),
      { [""] = label, ["Raw Coal"] = coal, ["Crude Oil"] = oil, [head] = scope },
      { order = { "", "Raw Coal", "Crude Oil", head }, sheet = "Jiangsu" .. y })
  end
end

-- Generates the province into opts.dir (default out/synthetic) unless a
-- stamp with the same version, seed and options is there. opts: dir, seed,
-- small (3 cities, coarse grids, 2000-2004), years = {first, last}, force,
-- quiet. Returns the file table (M.files).
function M.generate(opts)
  opts = opts or {}
  for k in pairs(opts) do
    if not ({ dir = 1, seed = 1, small = 1, years = 1, force = 1, quiet = 1 })[k] then
      error(("synthetic.generate: unknown option '%s' (expected dir, seed, " ..
             "small, years, force, quiet)"):format(k), 2)
    end
  end
  local o = { dir = opts.dir or "out/synthetic", seed = opts.seed or 20231330,
              small = opts.small and true or false }
  o.years = opts.years or (o.small and { 2000, 2004 } or { 2000, 2021 })
  assert(o.years[1] >= 2000 and o.years[2] <= 2021 and o.years[1] <= o.years[2],
         "synthetic.generate: years must lie within 2000-2021")
  local files = M.files(o.dir, o.years)
  if o.small then files.ceads_years = { o.years[1], o.years[2] } else files.ceads_years = { 2000, 2010, 2019 } end
  local say = opts.quiet and function() end or function(...) io.stderr:write(string.format(...)) end
  local last = tostring(o.years[2])
  local function exists(path)
    local fh = io.open(path, "rb")
    if fh then fh:close() end
    return fh ~= nil
  end
  local complete = read_all(files.stamp) == stamp_text(o) and exists(files.socio)
    and exists(files.counties) and exists((files.light:gsub("{year}", last)))
    and exists((files.npp:gsub("{year}", last)))
  if not opts.force and complete then
    say("synthetic province: cached in %s\n", o.dir)
    files.cached = true
    return files
  end
  local t0 = os.clock()
  mkdir(o.dir .. "/light"); mkdir(o.dir .. "/npp"); mkdir(o.dir .. "/ceads")
  os.remove(files.stamp)
  local counties, outline, sea = build_counties(o.seed, o.small)
  local feats = {}
  for i, c in ipairs(counties) do
    feats[i] = { geometry = c.geom, code = c.code, name = c.name, city = c.city,
                 city_en = c.city_en, city_code = c.city_code, region = c.region }
  end
  cbal.write_layer(files.counties, { crs = "EPSG:4326", layer = "counties",
    fields = { { name = "code", type = "integer" }, { name = "name", type = "string" },
               { name = "city", type = "string" }, { name = "city_en", type = "string" },
               { name = "city_code", type = "integer" }, { name = "region", type = "string" } },
    features = feats })
  local scale = o.small and 4 or 1
  local lg = grid_for(outline, M.LIGHT_CRS, 1000 * scale, 0, 0)
  local ng = grid_for(outline, M.NPP_CRS, M.NPP_CELL * scale, M.MODIS_X0, M.MODIS_Y0)
  local src = light_sources(counties, o.seed)
  local lp, np = place(src, lg), place(src, ng)
  local lcls, ncls = classes(lg, counties, sea, o.seed), classes(ng, counties, sea, o.seed)
  local lnoise = noise_field(lg, o.seed + 600, 6000)
  local nnoise = noise_field(ng, o.seed + 700, 6000)
  local hills = hill_profiles(ng)
  local yr = rng(o.seed + 800)
  local f = 1.0
  for y = 2000, o.years[2] do
    local nppf = f * (1 + 0.31 * (y - 2000) / 21) * (1 + 0.03 * yr.normal())
    if y >= o.years[1] then
      light_raster(files.light:gsub("{year}", tostring(y)), lg, lcls, lnoise,
                   year_profiles(lp, lg, y), y)
      npp_raster(files.npp:gsub("{year}", tostring(y)), ng, ncls, nnoise,
                 year_profiles(np, ng, y), hills, y, nppf)
      say("\rsynthetic province: %d", y)
    end
  end
  local em = { year = {}, emissions = {} }
  for y = o.years[1], o.years[2] do
    em.year[#em.year + 1] = y; em.emissions[#em.emissions + 1] = M.emissions[y]
  end
  cbal.write_table(files.emissions, em, { order = { "year", "emissions" } })
  ceads_books(files)
  cbal.write_table(files.socio, socio_table(counties, o.years, o.seed),
    { order = { "code", "name", "year", "gdp", "population", "area" } })
  local f2 = assert(io.open(files.stamp, "wb"))
  f2:write(stamp_text(o))
  f2:close()
  say("\rsynthetic province: %d counties, %d-%d, written to %s in %.1f s\n",
      #counties, o.years[1], o.years[2], o.dir, os.clock() - t0)
  return files
end

return M
