-- t1: emissions, per-capita emissions and intensity in the map years, each
-- as the aggregate ratio and the mean of county ratios.
return {
  kind = "table",
  inputs = { "map_years", "ind", "prov" },
  build = function(I)
    local rows = {}
    for _, y in ipairs(I.map_years) do
      local ind = I.ind[y]
      rows[#rows + 1] = { y, I.prov[y].C, ind.per_capita.aggregate * 100,
        ind.per_capita.mean_of_counties * 100, ind.intensity.aggregate * 100,
        ind.intensity.mean_of_counties * 100 }
    end
    return { title = "Emissions, per-capita emissions (t CO2 per person) and " ..
      "emission intensity (t CO2 per 10k yuan): aggregate ratio and mean of county ratios",
      columns = { "year", "C_Mt", "per_capita_t_aggregate", "per_capita_t_mean_of_counties",
        "intensity_t_per_10k_yuan_aggregate", "intensity_t_per_10k_yuan_mean_of_counties" },
      rows = rows,
      note = "Per-capita emissions and intensity are given both as the aggregate ratio " ..
        "(ΣC/ΣP) and as the mean of county ratios; they differ." }
  end,
}
