-- A yearly raster series as downloaded: `path` is a pattern with {year}, a
-- glob of tiles ("npp/MOD17A3HGF.A{year}001.h2[78]v05.*.hdf") or a list of
-- them; the files of a year are opened as one raster or as the mosaic of
-- its tiles (cbal.open_raster{paths = ...}).
local cbal = require "cbal"
local util = require "cbal.study.util"
local fail, bare = util.fail, util.bare

local M = {}

local function is_glob(s) return s:find("[%*%?%[]") ~= nil end

-- The patterns of series field f (name, path): a list of one or more.
local function patterns(f)
  if type(f.path) == "table" then
    if #f.path == 0 then fail("%s.path is an empty list; give the tiles' file patterns", f.name) end
    return f.path
  end
  return { f.path }
end

-- True when no pattern of f has {year} (one raster for every year).
function M.fixed(f)
  for _, p in ipairs(patterns(f)) do
    if type(p) == "string" and p:find("{year}", 1, true) then return false end
  end
  return true
end

-- The files of year y, in pattern order then sorted; a glob that matches
-- nothing raises, showing the pattern with {year} filled in.
function M.files(f, y)
  local pats, files, seen = patterns(f), {}, {}
  for k, pat in ipairs(pats) do
    local p = util.year_path(pat, y, f.name .. ".path")
    local found = is_glob(p) and cbal.glob(p) or { p }
    if #found == 0 then
      fail("%s of %d: no tile: '%s' matches no file (%s.path%s is '%s'); every year of "
        .. "'years' needs its files", f.name, y, p, f.name, #pats > 1 and ("[" .. k .. "]") or "", pat)
    end
    for _, x in ipairs(found) do
      if not seen[x] then seen[x] = true; files[#files + 1] = x end
    end
  end
  return files
end

-- Opens the raster of year y with open_raster options `opts`; an HDF file
-- gets f.subdataset (e.g. "Npp_500m" for NPP) unless opts names one.
-- Returns the raster and its files.
function M.open(f, y, opts)
  local files = M.files(f, y)
  local o = {}
  for k, v in pairs(opts) do o[k] = v end
  if o.subdataset == nil and f.subdataset and files[1]:lower():match("%.hdf$") then
    o.subdataset = f.subdataset
  end
  local ok, r
  if #files == 1 then
    ok, r = pcall(cbal.open_raster, files[1], o)
  else
    o.paths = files
    ok, r = pcall(cbal.open_raster, o)
  end
  if not ok then
    fail("%s raster of %d: %s; every year of 'years' needs one (check %s.path and 'years')",
      f.name, y, bare(r), f.name)
  end
  return r, files
end

return M
