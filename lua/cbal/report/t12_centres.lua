-- t12: the gravity centre of each spatial variable per year, its move from
-- the year before and its standard deviational ellipse (study option
-- spatial).
local sc = require "cbal.report.spatial_common"

return {
  kind = "table",
  optional = true,
  inputs = { "spatial" },
  build = function(I)
    local s, rows = I.spatial, {}
    for _, c in ipairs(s.centres.list) do
      rows[#rows + 1] = { c.variable, c.year, c.lon, c.lat,
        c.distance and c.distance / 1000 or 0 / 0, c.azimuth or 0 / 0, c.direction or "",
        c.major / 1000, c.minor / 1000, c.rotation }
    end
    return { title = "Table 12  Gravity centres and standard deviational ellipses per year",
      columns = { "variable", "year", "lon", "lat", "move_km", "azimuth_deg", "direction",
        "major_km", "minor_km", "rotation_deg" },
      rows = rows,
      note = ("Centres weighted by the variable over county centroids in %s; moves are "
        .. "geodesic on WGS84; axes are %s; rotation of the major axis clockwise from north.")
        :format(s.weights.crs, s.centres.list[1].sqrt2 and "ArcGIS's (times sqrt 2)"
          or "one standard deviation") .. sc.left_out_note(s) }
  end,
}
