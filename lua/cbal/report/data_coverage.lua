-- The data section: each raster product's worst-covered counties (largest
-- share outside the raster or on cells without a value, over the years);
-- fully covered counties are not listed.
local WORST = 5

local function worst(p, years, var)
  local list = {}
  for i = 1, p.n do
    local top, when, sum = -1, nil, 0
    for _, y in ipairs(years) do
      local x = p:get(var, y)[i]
      sum = sum + x
      if x > top then top, when = x, y end
    end
    list[#list + 1] = { i = i, top = top, year = when, mean = sum / #years }
  end
  table.sort(list, function(a, b)
    if a.top ~= b.top then return a.top > b.top end
    return a.i < b.i
  end)
  return list
end

return {
  kind = "table",
  inputs = { "panel", "years", "params" },
  build = function(I)
    local p, rows = I.panel, {}
    for _, product in ipairs({ "light", "npp" }) do
      for k, c in ipairs(worst(p, I.years, product .. "_uncovered")) do
        if k > WORST or not (c.top > 0) then break end
        rows[#rows + 1] = { product, p.ids[c.i], p.names and p.names[c.i] or "", 100 * c.top, c.year,
                            100 * c.mean }
      end
    end
    local l = I.params.max_uncovered
    return { title = ("Worst-covered counties per raster product: %% of the county outside the " ..
      "raster or on cells without a value (the %d largest above 0)"):format(WORST),
      columns = { "product", "code", "name", "max_uncovered_pct", "year_of_max", "mean_uncovered_pct" },
      rows = rows, note = ("Counties that every raster covers whole are not listed. A county more than %g %% uncovered is named in a warning; more than %g %% " ..
      "stops the study (max_uncovered). NPP cells of non-vegetated land (codes %s) are covered: their " ..
      "NPP is 0."):format(100 * l.warn, 100 * l.error, table.concat(I.params.npp_no_vegetation, ", ")) }
  end,
}
