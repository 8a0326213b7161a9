-- t6: LMDI of Q per region and for the province by the exact 5-factor
-- identity (counties as sub-categories). Q_from and Q_to are ΣC/ΣN over
-- every county of the group (t3's provincial Q); a county the identity
-- cannot include (Q = +inf: N = 0; a missing input) is named in
-- not_included, and its part of dQ is not_decomposed.
local common = require "cbal.report.common"

local function names(res)
  local t = {}
  for k, r in ipairs(res.reasons) do t[k] = r:match("^(.-): ") end
  return table.concat(t, "; ")
end

local function rows_of(lmdi)
  local reg = {}
  for _, L in ipairs(lmdi) do
    local per = L.from .. "-" .. L.to
    for _, set in ipairs({ { "region", L.region }, { "province", L.province } }) do
      for g, res in pairs(set[2]) do
        local e = res.effects
        reg[#reg + 1] = { set[1], g, per, "period-wise", res.q0, res.q1, res.dq,
                          e.CI, e.R, e.I, e.M, e.NS, res.not_decomposed, names(res) }
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
      "(NS = share of sequestration; not_decomposed = the part of dQ of the counties not included)",
      columns = { "level", "group", "period", "method", "Q_from", "Q_to", "dQ", "CI", "R", "I",
      "M", "NS", "not_decomposed", "not_included" }, rows = rows_of(I.lmdi),
      note = common.undefined_note(I.lmdi, "province") }
  end,
}
