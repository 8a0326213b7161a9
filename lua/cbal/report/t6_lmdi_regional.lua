-- t6: LMDI of Q per region and for the province by the exact 5-factor
-- identity (counties as sub-categories).
local function rows_of(lmdi)
  local reg = {}
  for _, L in ipairs(lmdi) do
    local per = L.from .. "-" .. L.to
    for _, set in ipairs({ { "region", L.region }, { "province", L.province } }) do
      for g, res in pairs(set[2]) do
        local e = res.effects
        reg[#reg + 1] = { set[1], g, per, "period-wise", res.v0, res.v1, res.change,
                          e.CI, e.R, e.I, e.M, e.NS }
      end
    end
  end
  table.sort(reg, function(a, b)
    if a[3] ~= b[3] then return a[3] < b[3] end
    if a[1] ~= b[1] then return a[1] > b[1] end
    return a[2] < b[2]
  end)
  return reg
end

return {
  kind = "table",
  inputs = { "lmdi" },
  build = function(I)
    return { title = "LMDI of Q per region and province by the exact 5-factor identity " ..
      "(NS = share of sequestration)", columns = { "level", "group", "period", "method", "Q_from",
      "Q_to", "dQ", "CI", "R", "I", "M", "NS" }, rows = rows_of(I.lmdi) }
  end,
}
