-- Runs a whole county carbon-balance study from a description file:
--   cbal scripts/study.lua DESCRIPTION.lua [--out DIR] [--criteria FILE] [--quiet]
-- The description is a Lua file returning a table (see docs/study.md); one
-- with `synthetic = {dir = ...}` generates the built-in province first.
local cbal = require "cbal"

local USAGE = [[
usage: cbal scripts/study.lua DESCRIPTION.lua [--out DIR] [--criteria FILE] [--quiet]

Runs the county carbon-balance study a description file describes (a Lua
file returning a table: counties, years, emissions, light, npp, socio, out;
see docs/study.md) and writes its tables, figures, report.html and
manifest.json into one output folder.

  --out DIR         write the results to DIR instead of the description's out
  --criteria FILE   zoning criteria file (default: the description's, or the
                    study's four zones)
  --quiet           do not print the summary
  -h, --help        show this help
]]

local function usage(msg)
  if msg then io.stderr:write("study: ", msg, "\n") end
  io.stderr:write(USAGE:match("^[^\n]*\n"))
  os.exit(2)
end

local path, over, i = nil, {}, 1
while arg[i] do
  local a = arg[i]
  if a == "-h" or a == "--help" then io.stdout:write(USAGE); os.exit(0)
  elseif a == "--out" then i = i + 1; over.out = arg[i] or usage("--out needs a folder")
  elseif a == "--criteria" then i = i + 1; over.criteria = arg[i] or usage("--criteria needs a file")
  elseif a == "--quiet" then over.quiet = true
  elseif a:sub(1, 1) == "-" then usage(("unknown option '%s'"):format(a))
  elseif path then usage(("one description only (got '%s' and '%s')"):format(path, a))
  else path = a end
  i = i + 1
end
if not path then usage("give a description file") end

local chunk, err = loadfile(path, "t", {})
if not chunk then error(("study: cannot load the description: %s"):format(err), 0) end
-- a description runs with an empty environment: it only builds a table
local ok, desc = pcall(chunk)
if not ok then
  error(("study: description %s failed: %s (a description file only builds a table: "
    .. "no os, io, require or other globals)"):format(path, tostring(desc)), 0)
end
if type(desc) ~= "table" then error(("study: %s must return a table"):format(path), 0) end
for k, v in pairs(over) do desc[k] = v end
desc.description = desc.description or path  -- listed in the manifest
if desc.synthetic then
  local s = desc.synthetic
  require("cbal.synthetic").generate{ dir = s.dir, small = s.small, seed = s.seed, years = s.years,
                                      quiet = desc.quiet }
end
return cbal.study(desc)
