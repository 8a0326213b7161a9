-- Errors of `cbal zonal`: a usage error (exit 2) or a failure (exit 1), each
-- printed by the command as one line "cbal zonal: ...".
local M = {}

local mt = { __tostring = function(e) return e.msg end }

local function raise(code, fmt, ...)
  error(setmetatable({ msg = fmt:format(...), code = code }, mt), 0)
end

function M.usage(fmt, ...) raise(2, fmt, ...) end
function M.fail(fmt, ...) raise(1, fmt, ...) end

function M.is(e) return getmetatable(e) == mt end

-- Advice written for scripts, said the command line's way.
local advice = {
  { "(open it with cbal.open_raster)", "(rasters go to -r)" },
  { "(open it with cbal.open_layer)", "(polygons go to -p)" },
  { "{crs = \"EPSG:...\"}", "--crs EPSG:..." },
}

-- A library error as the user should read it: one line, without the
-- position in cbal's own Lua files (a position in the user's own file is
-- kept), with advice in terms of the command's options.
function M.clean(msg)
  msg = tostring(msg)
  msg = require("cbal.message").user(msg):gsub("\n.*", "")
  msg = msg:gsub("^stats: ", ""):gsub("^zones: ", "")
  for _, a in ipairs(advice) do
    local i, j = msg:find(a[1], 1, true)
    if i then msg = msg:sub(1, i - 1) .. a[2] .. msg:sub(j + 1) end
  end
  return msg
end

-- Calls f(...); a failure raised inside becomes a command failure, with
-- `what` (when given, e.g. "-r a.tif") in front of the library's message
-- unless that message names the file already.
function M.call(what, f, ...)
  local r = table.pack(pcall(f, ...))
  if r[1] then return table.unpack(r, 2, r.n) end
  if M.is(r[2]) then error(r[2], 0) end
  local msg = M.clean(r[2])
  local subject = what and what:match("^%-[%w-]+ (.+)$")
  if subject and msg:find(subject, 1, true) then what = nil end
  raise(1, "%s%s", what and (what .. ": ") or "", msg)
end

return M
