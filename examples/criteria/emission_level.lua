-- Emission level against the provincial mean crossed with the ecological
-- support coefficient: four zones "high/low emission x strong/weak support".
-- C = "mean" puts the cut at the mean county emission of the chosen year.
return {
  name = "emission level (vs the mean) by ecological support",
  tie = "lower", -- a county exactly at the mean counts as low emission
  year = "last",
  thresholds = { C = "mean", ESC = 1 },
  zones = {
    { name = "high emission, weak support", when = { C = "high", ESC = "low" } },
    { name = "high emission, strong support", when = { C = "high", ESC = "high" } },
    { name = "low emission, weak support", when = { C = "low", ESC = "low" } },
    -- the same test as a predicate (s.thresholds holds the resolved cuts;
    -- tie "lower": at a cut is low, so high needs >)
    { name = "low emission, strong support",
      when = function(v, s) return v.C <= s.thresholds.C and v.ESC > s.thresholds.ESC end },
  },
}
