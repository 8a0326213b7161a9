-- Spatial autocorrelation over any number of columns at once (one variable,
-- {[year] = array}, or a panel's variables x years): global Moran's I and
-- Geary's C, local Moran (LISA) with cluster classes, Getis-Ord G_i*.
-- Permutation tests are seeded and give the same numbers for any thread
-- count.
local cbal = require "cbal"
local native = require("cbal.core")._spatial
local opts = require "cbal.opts"
local values = require "cbal.spatial.values"

local M = {}

M.DEFAULT_SEED = 12345
M.DEFAULT_PERMUTATIONS = 999

-- LISA cluster codes (GeoDa's): 0..4, 5 for counties without neighbours
-- and 6 for counties the weights leave out (w:subset).
M.LISA = { [0] = "not significant", "high-high", "low-low", "low-high", "high-low",
  "no neighbours", "left out" }

local ALTS = { "two.sided", "greater", "less" }

local keys = values.option_keys

local function check_weights(where, w)
  if type(w) ~= "userdata" or not tostring(w):find("^cbal.Weights") then
    error(("%s: argument 2 must be cbal.Weights (from cbal.weights or "
      .. "cbal.spatial.read_weights), got %s"):format(where, type(w)), 0)
  end
end

local function perms(where, o)
  local P = o.permutations
  if P == nil then P = M.DEFAULT_PERMUTATIONS end
  if math.type(P) ~= "integer" or P < 0 then
    error(("%s: permutations must be a whole number >= 0, got %s"):format(where, tostring(P)), 0)
  end
  local seed = o.seed == nil and M.DEFAULT_SEED or o.seed
  if math.type(seed) ~= "integer" then
    error(("%s: seed must be an integer, got %s"):format(where, tostring(seed)), 0)
  end
  return P, seed
end

local function global(where, x, w, o, geary)
  check_weights(where, w)
  o = opts.check(where, o, keys({ "permutations", "seed", "threads", "alternative" }))
  local alt = opts.enum(where, "alternative", o.alternative, ALTS, "two.sided", 3)
  local P, seed = perms(where, o)
  local cols, ks, kind = values.columns(where, x, w, o)
  local fn = geary and native.geary or native.moran
  local raw = fn(w, cols, { permutations = P, seed = seed, threads = o.threads,
    alternative = alt })
  local out = {}
  for k, r in ipairs(raw) do
    out[k] = { [geary and "C" or "I"] = r.stat, E = r.expect, V_norm = r.var_norm,
      V_rand = r.var_rand, z_norm = r.z_norm, z_rand = r.z_rand, p_norm = r.p_norm,
      p_rand = r.p_rand, p_sim = P > 0 and r.p_sim or nil, n = math.tointeger(r.n) or r.n,
      permutations = P, seed = seed, alternative = alt }
  end
  return values.shape(out, ks, kind)
end

-- cbal.spatial.moran(x, w [, {permutations = 999, seed =, threads =,
-- alternative =, variables =, years =}]): Moran's I with E[I], variances
-- under normality and randomisation, z, p and the permutation p_sim.
function M.moran(x, w, o) return global("cbal.spatial.moran", x, w, o, false) end

-- cbal.spatial.geary(x, w [, opts]): Geary's C, same fields (C for I).
function M.geary(x, w, o) return global("cbal.spatial.geary", x, w, o, true) end

local function lisa_class(r, alpha, by)
  local n = #r.I
  local cls = cbal.array(n, 0)
  local counts = { [0] = 0, 0, 0, 0, 0, 0, 0 }
  local p = by == "normal" and r.p_norm or r.p_sim
  for i = 1, n do
    local c
    if r.quad[i] == 0 then c = 5
    elseif p[i] <= alpha then c = math.tointeger(r.quad[i])
    else c = 0 end
    cls[i] = c
    counts[c] = counts[c] + 1
  end
  return cls, counts
end

-- cbal.spatial.local_moran(x, w [, {permutations = 999, seed =, alpha =
-- 0.05, significance = "permutation" | "normal", moments = "conditional" |
-- "total", alternative =, threads =, variables =, years =}]): per county
-- I, E, V, z, p_norm, p_sim, lag (of the centred values), quad (1 HH, 2
-- LL, 3 LH, 4 HL by sign) and cluster (M.LISA codes at alpha), arrays in
-- layer order (NaN / code 5 for counties without neighbours, NaN / code 6
-- for counties a subset of the weights leaves out).
function M.local_moran(x, w, o)
  local where = "cbal.spatial.local_moran"
  check_weights(where, w)
  o = opts.check(where, o, keys({ "permutations", "seed", "threads", "alternative", "alpha",
    "significance", "moments" }))
  local alt = opts.enum(where, "alternative", o.alternative, ALTS, "two.sided", 2)
  local mom = opts.enum(where, "moments", o.moments, { "conditional", "total" }, "conditional", 2)
  local by = opts.enum(where, "significance", o.significance, { "permutation", "normal" },
    "permutation", 2)
  local alpha = o.alpha == nil and 0.05 or o.alpha
  if type(alpha) ~= "number" or not (alpha > 0 and alpha < 1) then
    error(("%s: alpha must be a number between 0 and 1, got %s"):format(where, tostring(alpha)), 0)
  end
  local P, seed = perms(where, o)
  if by == "permutation" and P == 0 then
    error(where .. ": significance = \"permutation\" needs permutations > 0", 0)
  end
  local cols, ks, kind = values.columns(where, x, w, o)
  local raw = native.local_moran(w, cols, { permutations = P, seed = seed, threads = o.threads,
    moments = mom, alternative = alt })
  local out = {}
  for k, r in ipairs(raw) do
    local cls, counts = lisa_class(r, alpha, by)
    local res = { alpha = alpha, significance = by, permutations = P, seed = seed,
      moments = mom, alternative = alt, labels = M.LISA }
    for _, f in ipairs({ "I", "E", "V", "z", "p_norm", "lag", "quad" }) do
      res[f] = values.expand(w, r[f])
    end
    res.p_sim = P > 0 and values.expand(w, r.p_sim) or nil
    res.cluster = values.expand(w, cls)
    -- islands left out of the weights are counties without neighbours too
    for _, i in ipairs(w.index and w.island_index or {}) do
      if res.cluster[i] ~= res.cluster[i] then
        res.cluster[i] = 5
        counts[5] = counts[5] + 1
      end
    end
    -- and the others the weights do not cover are left out
    for i = 1, #res.cluster do
      if res.cluster[i] ~= res.cluster[i] then
        res.cluster[i] = 6
        counts[6] = counts[6] + 1
      end
    end
    res.counts = {}
    for c = 0, 6 do res.counts[M.LISA[c]] = counts[c] end
    out[k] = res
  end
  return values.shape(out, ks, kind)
end

-- cbal.spatial.getis_ord(x, w [, {star = true, style = "B" | "W",
-- alternative =, variables =, years =}]): Getis-Ord z-scores per county
-- (G_i* with each county its own neighbour, or G_i) and their normal p.
function M.getis_ord(x, w, o)
  local where = "cbal.spatial.getis_ord"
  check_weights(where, w)
  o = opts.check(where, o, keys({ "star", "style", "alternative" }))
  local alt = opts.enum(where, "alternative", o.alternative, ALTS, "two.sided", 2)
  local style = opts.enum(where, "style", o.style, { "B", "W" }, "B", 2)
  local star = o.star ~= false
  local cols, ks, kind = values.columns(where, x, w, o)
  local ws = star and w:with_self(style) or w:restyled(style)
  local raw = native.getis_ord(ws, cols, star, { alternative = alt })
  local out = {}
  for k, r in ipairs(raw) do
    out[k] = { z = values.expand(w, r.z), p = values.expand(w, r.p), star = star,
      style = style, alternative = alt }
  end
  return values.shape(out, ks, kind)
end

return M
