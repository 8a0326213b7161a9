-- A carbon-sink zone first: counties whose emissions are fully absorbed
-- (Q < 1) form their own zone; the rest follow the study's four zones.
-- Uses a Lua predicate for the sink test (run inside the sandbox).
return {
  name = "carbon sink zone, then four zones by ECC and ESC",
  tie = "upper",
  year = { 2017, 2021 }, -- the mean of the last five years
  thresholds = { ECC = 1, ESC = 1 },
  zones = {
    { name = "carbon sink zone", when = function(v) return v.Q < 1 end },
    { name = "high carbon control zone", when = { ECC = "high", ESC = "low" } },
    { name = "high carbon optimization zone", when = { ECC = "low", ESC = "low" } },
    { name = "low carbon development zone", when = { ECC = "low", ESC = "high" } },
    { name = "low carbon economic zone", when = { ECC = "high", ESC = "high" } },
  },
}
