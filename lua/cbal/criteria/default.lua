-- The study's four zones (Peng, Tian & Wu 2023; METHOD.md "Zoning"): the
-- economy contributive (ECC) and ecological support (ESC) coefficients cut
-- at 1. Copy this file to change thresholds, the tie rule or the year.
return {
  name = "four carbon zones by ECC and ESC (cuts at 1)",
  -- The study says "greater than 1" for high and "less than 1" for low and
  -- is silent on 1 itself: here a value of exactly 1 counts as HIGH (ECC = 1
  -- and ESC = 1 are "high"; high is >= 1, low is < 1). tie = "lower" makes
  -- it low (high is > 1, low is <= 1).
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
  -- counties with a missing ECC or ESC (a missing input) match no zone; a
  -- county without vegetation (N = 0) has ESC = 0, low, and is zoned
  otherwise = "unclassified",
}
