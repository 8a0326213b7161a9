-- The study's four zones (Peng, Tian & Wu 2023; METHOD.md "Zoning"): the
-- economy contributive (ECC) and ecological support (ESC) coefficients cut
-- at 1. Copy this file to change thresholds, the tie rule or the year.
return {
  name = "four carbon zones by ECC and ESC (cuts at 1)",
  -- a value exactly at a cut counts as high (ECC >= 1 is "high")
  tie = "upper",
  -- with variables given by year: the latest year they share
  year = "last",
  thresholds = { ECC = 1, ESC = 1 },
  zones = {
    { name = "high carbon control zone", when = { ECC = "high", ESC = "low" } },
    { name = "high carbon optimization zone", when = { ECC = "low", ESC = "low" } },
    { name = "low carbon development zone", when = { ECC = "low", ESC = "high" } },
    { name = "low carbon economic zone", when = { ECC = "high", ESC = "high" } },
  },
  -- counties with a missing ECC or ESC (excluded inputs) match no zone
  otherwise = "unclassified",
}
