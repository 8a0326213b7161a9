-- `cbal zonal`: zonal statistics from the command line, a thin layer over
-- cbal.zones and zones:stats. Rasters on one grid share one coverage build
-- and are one streaming pass each. main(args) returns the exit code.
local cbal = require "cbal"
local args = require "cbal.zonal_cli.args"
local err = require "cbal.zonal_cli.err"
local inputs = require "cbal.zonal_cli.inputs"
local output = require "cbal.zonal_cli.output"
local stats = require "cbal.zonal_cli.stats"

local M = {}

local function say(fmt, ...)
  io.stderr:write("cbal zonal: ", fmt:format(...), "\n")
end

local function grid_text(r)
  local gt = r.geotransform
  return ("%d x %d cells of %.6g x %.6g"):format(r.width, r.height, gt[2], math.abs(gt[6]))
end

-- The zones:stats options of one pass: the statistics' own (coverage_weight,
-- min_coverage_frac, default_weight), threads, and the weights when a
-- statistic of the pass uses them.
local function stats_opts(a, pass, weights)
  local o = { threads = a.threads }
  for k, v in pairs(pass.opts) do o[k] = v end
  for _, s in ipairs(pass.stats) do
    if s.uses_w and weights then
      o.weights = weights == "area" and "area" or weights.raster
    end
  end
  return o
end

-- Column label of a raster's result: name_col, or col for one unnamed
-- raster; weighted statistics carry the weight's name among several
-- rasters. Also returns the label without the raster's name (for --long).
local function label(e, item, weights, nrasters)
  local l = item.label
  if item.stat and item.stat.weighted and weights and nrasters > 1 and not item.stat.name then
    l = (weights == "area" and "area" or weights.name) .. "_" .. l
  end
  return e.name and (e.name .. "_" .. l) or l, l
end

-- A user function's error as the command says it: which -s, which
-- polygon (by --id when given), which raster.
local function user_failure(a, list, e, msg, ids)
  local name, zone, rest = tostring(msg):match("function '(.-)' failed on zone (%d+): (.*)$")
  if not name then return end
  for _, s in ipairs(list) do
    if s.fn and s.name == name then
      zone = tonumber(zone)
      local id = ids and ids[zone]
      if type(id) == "number" then id = cbal.number_text(id) end
      local which = ids and (" (%s %s)"):format(a.id, id) or ""
      err.fail("-s %s failed on polygon %d%s of %s: %s", s.desc, zone, which, e.label, rest)
    end
  end
end

-- A raster's items from the results of its passes ({pass =, res =} in
-- order), in the order the statistics were asked.
local function collect(e, list, weights, nr, done)
  local by_stat, extra = {}, {}
  for _, d in ipairs(done) do
    local res = d.res
    for _, item in ipairs(stats.assign(d.pass.stats, res.columns)) do
      local v = res[item.col]
      local name, stat = label(e, item, weights, nr)
      local it = { name = name, stat = stat, values = v,
        list = type(v) == "table" and getmetatable(v) == nil }
      local t = extra
      if item.stat then
        by_stat[item.stat] = by_stat[item.stat] or {}
        t = by_stat[item.stat]
      end
      t[#t + 1] = it
    end
  end
  local items = {}
  for _, s in ipairs(list) do
    for _, it in ipairs(by_stat[s] or {}) do items[#items + 1] = it end
  end
  for _, it in ipairs(extra) do items[#items + 1] = it end
  return items
end

-- The results of one raster: its passes (one per set of statistic
-- options, usually one), items in the order the statistics were asked.
local function raster_items(a, zones, e, list, weights, nr, ids)
  local done = {}
  for _, pass in ipairs(stats.passes(list, { coverage_weight = a.coverage_weight })) do
    local ok, res = pcall(zones.stats, zones, e.raster, stats.engine_list(pass.stats),
      stats_opts(a, pass, weights))
    if not ok then
      user_failure(a, list, e, res, ids)
      err.call("-r " .. e.label, error, res, 0) -- as any library failure
    end
    done[#done + 1] = { pass = pass, res = res }
  end
  return collect(e, list, weights, nr, done)
end

-- The items of every raster of grid g at once: zones:stats on the list of
-- rasters runs several passes together. Only for statistics without
-- functions or weights; nil on any failure (then each raster is run
-- alone, which names the one that fails).
local function group_items(a, zones, g, list, weights, nr)
  if #g < 2 or a.progress or weights then return nil end
  for _, s in ipairs(list) do
    if s.fn or s.uses_w then return nil end
  end
  local rasters, done = {}, {}
  for i, e in ipairs(g) do rasters[i], done[i] = e.raster, {} end
  for _, pass in ipairs(stats.passes(list, { coverage_weight = a.coverage_weight })) do
    local ok, res = pcall(zones.stats, zones, rasters, stats.engine_list(pass.stats),
      stats_opts(a, pass, weights))
    if not ok then return nil end
    for i = 1, #g do done[i][#done[i] + 1] = { pass = pass, res = res[i] } end
  end
  local out = {}
  for i, e in ipairs(g) do out[i] = collect(e, list, weights, nr, done[i]) end
  return out
end

-- Runs every raster, grid by grid; returns a list of {entry =, items =
-- {{name = column, stat = column without the raster, values =, list =}}}.
local function compute(a, layer, groups, weights, list, ids)
  local results, nr, done = {}, 0, 0
  for _, g in ipairs(groups) do nr = nr + #g end
  for k, g in ipairs(groups) do
    if #groups > 1 then
      say("grid %d of %d (%s): %d raster%s, one coverage for %s", k, #groups,
        grid_text(g[1].raster), #g, #g > 1 and "s" or "", #g > 1 and "them" or "it")
    end
    local t0 = cbal.now()
    local zones <close> = err.call(nil, cbal.zones, layer, g[1].raster, { mode = a.mode })
    if a.progress then say("coverage of %d polygons built in %.2f s", #zones, cbal.now() - t0) end
    local all = group_items(a, zones, g, list, weights, nr)
    for i, items in ipairs(all or {}) do
      results[#results + 1] = { entry = g[i], items = items }
      g[i].raster:close()
    end
    for _, e in ipairs(all and {} or g) do
      t0 = cbal.now()
      results[#results + 1] = { entry = e, items = raster_items(a, zones, e, list, weights, nr, ids) }
      done = done + 1
      if a.progress then
        say("[%d/%d] %s in %.2f s", done, nr, e.label, cbal.now() - t0)
      end
      e.raster:close()
    end
  end
  return results
end

-- The id and --include-col columns, in order, read before any work so
-- that text in another encoding than UTF-8 is refused at once.
local function key_columns(a, layer, path)
  local t = output.new()
  for _, f in ipairs(a.id and { a.id, table.unpack(a.include) } or a.include) do
    if not t.cols[f] then
      local v, kind = output.field_column(layer, f)
      for i = 1, kind == "s" and #v or 0 do
        if not utf8.len(v[i]) then
          err.fail("field '%s' of %s is not UTF-8 text (feature %d); give the file's " ..
            "encoding with --encoding (GBK for most Chinese shapefiles)", f, path, i)
        end
      end
      output.add(t, f, v, kind)
    end
  end
  return t
end

local function text_column(values)
  local t = {}
  for i = 1, #values do t[i] = output.json(values[i]) end
  return t
end

local function wide(keys, results)
  local t = keys
  for _, r in ipairs(results) do
    for _, it in ipairs(r.items) do
      if it.list then
        output.add(t, it.name, text_column(it.values), "s")
      else
        output.add(t, it.name, it.values, "r")
      end
    end
  end
  return t
end

-- --long: one row per polygon x raster x statistic.
local function long(keys, n, results)
  local t = output.new()
  for _, k in ipairs(keys.order) do output.add(t, k, {}, keys.kinds[k]) end
  output.add(t, "raster", {}, "s")
  output.add(t, "stat", {}, "s")
  local value, textual = {}, false
  for _, r in ipairs(results) do
    for _, it in ipairs(r.items) do textual = textual or it.list end
  end
  output.add(t, "value", value, textual and "s" or "r")
  for i = 1, n do
    for _, r in ipairs(results) do
      local rname = r.entry.name or r.entry.path:match("([^/]+)$"):gsub("%.[^.]*$", "")
      for _, it in ipairs(r.items) do
        for _, k in ipairs(keys.order) do
          local c = t.cols[k]
          c[#c + 1] = keys.cols[k][i]
        end
        t.cols.raster[#t.cols.raster + 1] = rname
        t.cols.stat[#t.cols.stat + 1] = it.stat
        local v = it.values[i]
        value[#value + 1] = it.list and output.json(v) or v
      end
    end
  end
  return t
end

local function run(argv)
  local t0 = cbal.now()
  local a = args.parse(argv)
  if a.help then
    io.stdout:write(args.usage_text)
    return 0
  end
  local list = stats.parse_all(a.stats or {})
  local needs_w = false
  for _, s in ipairs(list) do
    needs_w = needs_w or s.uses_w
    if s.weighted and not a.weights then
      err.usage("-s %s needs weights: give them with -w raster or -w area", s.desc)
    end
  end
  if a.weights and not needs_w and not a.dump then
    err.usage("-w weighs only the weighted_* statistics (weighted_sum, " ..
      "weighted_mean, ...), and none is asked")
  end
  local rasters = inputs.rasters(a)
  inputs.check_crs(rasters)
  local groups = inputs.grids(rasters)
  local weights = (needs_w or a.dump) and a.weights and inputs.weights(a, groups) or nil
  local layer <close>, ppath = inputs.polygons(a)
  inputs.check_layer_crs(layer, ppath, rasters)
  local in_paths = { ppath }
  for _, e in ipairs(rasters) do in_paths[#in_paths + 1] = e.path end
  local kind = output.check(a, in_paths)
  local keys = key_columns(a, layer, ppath)
  local t
  if a.dump then
    t = require("cbal.zonal_cli.dump").run(a, layer, ppath, groups, weights, kind)
  else
    local results = compute(a, layer, groups, weights, list, a.id and keys.cols[a.id])
    t = a.long and long(keys, #layer, results) or wide(keys, results)
    output.write(a, kind, t, kind == "layer" and not a.long and layer or nil)
  end
  if a.progress then
    local rows, cols = #t.cols[t.order[1]], #t.order
    say("wrote %s: %d row%s, %d column%s, in %.2f s", a.output, rows, rows == 1 and "" or "s",
      cols, cols == 1 and "" or "s", cbal.now() - t0)
  end
  return 0
end

-- Runs the command on a list of arguments; returns the exit code (0, 1 on
-- a failure, 2 on a usage error), after printing any error as one line.
function M.main(argv)
  local ok, res = pcall(run, argv)
  if ok then return res end
  if err.is(res) then
    io.stderr:write("cbal zonal: ", res.msg, res.code == 2 and " (cbal zonal -h lists the options)" or "", "\n")
    return res.code
  end
  io.stderr:write("cbal zonal: ", err.clean(res), "\n")
  return 1
end

return M
