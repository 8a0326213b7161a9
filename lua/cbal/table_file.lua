-- Settings files (zoning criteria, figure themes): Lua files that return a
-- table, run as text in the sandbox. The one loader, with one wording.
local cbal = require "cbal"
local message = require "cbal.message"

local M = {}

-- The table the file at path returns, run in a new sandbox (sandbox:
-- memory, budget, seconds; nil for the defaults). kind names the file in
-- messages: "<kind>: <file>:<line>: <what went wrong>" when running it
-- fails, "<kind> file <path> must return a table, got function" when it
-- returns something else (a function leaves the sandbox as a callable
-- cbal.SandboxFunction: it is called a function).
function M.load(path, kind, sandbox)
  local sb = cbal.sandbox(sandbox or {})
  local ok, t = pcall(sb.dofile, sb, path)
  if not ok then
    -- the sandbox names the file and line; a library position before it
    -- tells the user nothing
    local msg = message.user(tostring(t)):gsub("criteria file ", kind .. " file ")
    error(kind .. ": " .. msg, 0)
  end
  if type(t) ~= "table" then
    local what = cbal.type(t) == "cbal.SandboxFunction" and "function" or type(t)
    error(("%s file %s must return a table, got %s"):format(kind, path, what), 0)
  end
  return t
end

return M
