-- Generates the built-in synthetic province:
--   cbal scripts/synthetic.lua [--small] [--force] [--seed N] [--out DIR]
local syn = require "cbal.synthetic"

local opts, i = {}, 1
while arg[i] do
  local a = arg[i]
  if a == "--small" then opts.small = true
  elseif a == "--force" then opts.force = true
  elseif a == "--seed" then i = i + 1; opts.seed = math.tointeger(tonumber(arg[i]))
  elseif a == "--out" then i = i + 1; opts.dir = arg[i]
  else
    io.stderr:write("usage: cbal scripts/synthetic.lua [--small] [--force] [--seed N] [--out DIR]\n")
    os.exit(2)
  end
  i = i + 1
end
local f = syn.generate(opts)
print(("synthetic province in %s (%d-%d)"):format(f.dir, f.years[1], f.years[2]))
