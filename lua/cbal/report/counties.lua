-- counties.gpkg: the counties with ids, names, the zone, the variables of
-- the GeoPackage years and the LMDI effects per period; with the study
-- option spatial also the LISA clusters, G_i* and Tapio states.
local function base(p, zones)
  local fields = { { name = "code", type = "string" }, { name = "name", type = "string" },
                   { name = "city", type = "string" }, { name = "region", type = "string" },
                   { name = "zone", type = "string" } }
  local feats = {}
  for i = 1, p.n do
    feats[i] = { code = p.ids[i], name = p.names and p.names[i] or "", city = p.city and p.city[i] or "",
                 region = p.region and p.region[i] or "", zone = zones[i] }
  end
  return fields, feats
end

local function add(fields, feats, name, values)
  fields[#fields + 1] = { name = name, type = "real" }
  for i = 1, #feats do feats[i][name] = values[i] end
end

return {
  kind = "layer",
  inputs = { "panel", "layer", "zones", "gpkg_years", "lmdi" },
  optional_inputs = { "spatial" },
  build = function(I)
    local p = I.panel
    local fields, feats = base(p, I.zones)
    for _, y in ipairs(I.gpkg_years) do
      for _, v in ipairs({ "light", "C", "N", "Q", "ECC", "ESC", "G", "P" }) do
        add(fields, feats, v .. "_" .. y, p:get(v, y))
      end
    end
    for _, L in ipairs(I.lmdi) do
      for _, f in ipairs({ "CI", "R", "I", "M" }) do
        add(fields, feats, ("lmdi_%s_%d_%d"):format(f, L.from, L.to), L.county.items[f])
      end
    end
    if I.spatial then require("cbal.report.spatial_common").gpkg_fields(I.spatial, fields, feats) end
    return { title = "Counties with all variables", file = "counties.gpkg",
      layer = { layer = "counties", geometries = I.layer, fields = fields, features = feats } }
  end,
}
