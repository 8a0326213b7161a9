-- Error messages as users read them: without the Lua positions that name
-- cbal's own files (the message names the user's file or field instead).
local M = {}

-- msg without the position of a Lua file at its start ("x.lua:12: "), as
-- a binding or a library function prepends it.
function M.bare(msg)
  return (tostring(msg):gsub("^[^%s']-%.lua:%d+: ", ""))
end

-- msg without the positions inside cbal's own Lua files at its start
-- (".../lua/cbal/report.lua:34: "), however many are stacked; a position
-- in the user's own file is kept. A non-string is returned as it is.
function M.user(msg)
  if type(msg) ~= "string" then return msg end
  local prev
  repeat
    prev = msg
    msg = msg:gsub("^[^%s']-cbal/[%w_/]-%.lua:%d+: ", "")
  until msg == prev
  return msg
end

return M
