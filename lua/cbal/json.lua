-- JSON text of strings and numbers, one way for the whole library (the
-- study's manifest, cbal zonal's list columns).
local cbal = require "cbal"

local M = {}

local ESCAPES = { ['"'] = '\\"', ["\\"] = "\\\\", ["\n"] = "\\n", ["\t"] = "\\t", ["\r"] = "\\r" }

-- s quoted: quote, backslash and control characters escaped; other bytes
-- (UTF-8 included) as they are. The caller checks that s is UTF-8.
function M.string(s)
  return '"' .. s:gsub('[%c"\\]', function(c)
    return ESCAPES[c] or ("\\u%04x"):format(c:byte())
  end) .. '"'
end

-- v as a JSON number: the shortest text that reads back as v
-- (cbal.number_text); null for NaN; +-1e999 for +-infinity, which JSON
-- readers (Python, JavaScript, R) take back as infinity.
function M.number(v)
  if v ~= v then return "null" end
  if v == math.huge then return "1e999" elseif v == -math.huge then return "-1e999" end
  return cbal.number_text(v)
end

return M
