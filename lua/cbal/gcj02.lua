-- cbal.gcj02: GCJ-02 ("Mars" coordinates: AMap, Aliyun DataV, Tencent) to
-- and from WGS84, on numbers or arrays, and how far apart the two are.
-- Layers convert on read with cbal.open_layer(path, {datum = "gcj02"}).
local cbal = require "cbal"
local native = require("cbal.core")._gcj02

local M = {}

-- to_wgs84(lon, lat) / from_wgs84(lon, lat): two numbers, or two arrays
-- (cbal.Array or lists) giving two new arrays. Points outside China's box
-- are returned unchanged, as the published transform does.
M.to_wgs84 = native.to_wgs84
M.from_wgs84 = native.from_wgs84

-- outside(lon, lat): true where the transform is the identity.
M.outside = native.outside

local R = 6371008.8 -- mean Earth radius, metres

local function distance(lon1, lat1, lon2, lat2)
  local p1, p2 = math.rad(lat1), math.rad(lat2)
  local dp, dl = p2 - p1, math.rad(lon2 - lon1)
  local h = math.sin(dp / 2) ^ 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ^ 2
  return 2 * R * math.asin(math.min(1, math.sqrt(h)))
end

-- offset_m(lon, lat): metres between the WGS84 point (lon, lat) and its
-- GCJ-02 image (great circle on the mean sphere); a number, or an array
-- for arrays.
function M.offset_m(lon, lat)
  local glon, glat = native.from_wgs84(lon, lat)
  if type(glon) == "number" then return distance(lon, lat, glon, glat) end
  local lon_a, lat_a = cbal.array(lon), cbal.array(lat)
  local out = cbal.array(#lon_a, 0)
  for i = 1, #lon_a do out[i] = distance(lon_a[i], lat_a[i], glon[i], glat[i]) end
  return out
end

return M
