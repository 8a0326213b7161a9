-- The synthetic province's random numbers: splitmix64 on Lua integers, a
-- seeded, platform-independent stream.
local function rng(seed)
  local s = seed
  local r = {}
  function r.int()
    s = s + 0x9E3779B97F4A7C15
    local z = s
    z = (z ~ (z >> 30)) * 0xBF58476D1CE4E5B9
    z = (z ~ (z >> 27)) * 0x94D049BB133111EB
    return z ~ (z >> 31)
  end
  function r.float() return (r.int() >> 11) * 2.0^-53 end
  function r.range(a, b) return a + (b - a) * r.float() end
  function r.normal()
    return math.sqrt(-2 * math.log(1 - r.float())) * math.cos(2 * math.pi * r.float())
  end
  return r
end

return rng
