-- Helpers shared by the study's steps: the one error form ("study: ..."),
-- error text without Lua positions, year patterns and the inputs list.
local message = require "cbal.message"

local M = {}

-- Raises "study: <message>" without a position (the message names the
-- user's file or field instead).
function M.fail(fmt, ...) error("study: " .. fmt:format(...), 0) end

-- An error message without the Lua position a binding or library prepends.
M.bare = message.bare

-- A study error as the user sees it: a position inside the cbal library
-- (".../lua/cbal/report.lua:34: ") names no file of the user's, so it is
-- dropped; the message itself names the file or field.
M.user_error = message.user

-- The path of year y from a pattern with {year}; a path without {year} is
-- the same file for every year.
function M.year_path(pattern, y, what)
  if type(pattern) ~= "string" then
    M.fail("%s must be a path (a pattern with {year} for a yearly series)", what)
  end
  return (pattern:gsub("{year}", tostring(y)))
end

-- Lists an input file of the run (for the manifest).
function M.input(S, role, path)
  S.inputs[#S.inputs + 1] = { role = role, path = path }
end

return M
