-- t3: provincial emissions, sequestration and Q per year.
return {
  kind = "table",
  inputs = { "years", "prov" },
  build = function(I)
    local rows = {}
    for _, y in ipairs(I.years) do
      local c, n = I.prov[y].C, I.prov[y].N
      rows[#rows + 1] = { y, c, n, c / n }
    end
    return { title = "Provincial emissions C and sequestration N (Mt CO2) and Q = C/N",
      columns = { "year", "C_Mt", "N_Mt", "Q" }, rows = rows }
  end,
}
