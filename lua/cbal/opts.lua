-- The one option checker for Lua tables of options: an unknown key raises
-- "unknown key 'x' in <where> (expected one of: a, b, c)", the same wording
-- as the native functions (cbL_checkopts), and enum values are checked
-- against their list the same way (cbL_optenum).
local M = {}

-- The message for the first unknown key of t (keys in sorted order, so the
-- message does not depend on table order), or nil when every key is allowed.
function M.unknown(t, allowed, where)
  local set = {}
  for _, k in ipairs(allowed) do set[k] = true end
  local bad = {}
  for k in pairs(t) do
    if not set[k] then bad[#bad + 1] = tostring(k) end
  end
  if #bad == 0 then return nil end
  table.sort(bad)
  return ("unknown key '%s' in %s (expected one of: %s)"):format(bad[1], where,
    table.concat(allowed, ", "))
end

-- Checks the options table t of `where` (nil is an empty table); raises at
-- `level` (default: the caller of the function that called check) on a
-- non-table or an unknown key. Returns t, or {} for nil.
function M.check(where, t, allowed, level)
  level = (level or 2) + 1
  if t == nil then return {} end
  if type(t) ~= "table" then
    error(("%s: options must be a table, got %s"):format(where, type(t)), level)
  end
  local msg = M.unknown(t, allowed, where)
  if msg then error(msg, level) end
  return t
end

-- The message for value v of option `key` when v is not nil and not one of
-- `names`: "<where>: option 'key': unknown value 'v' (expected one of: a,
-- b)" (without "<where>: " when where is nil); nil when v is fine. For
-- callers that raise through their own error function.
function M.bad_value(where, key, v, names)
  if v == nil then return nil end
  for _, n in ipairs(names) do
    if v == n then return nil end
  end
  return ("%soption '%s': unknown value '%s' (expected one of: %s)"):format(
    where and where .. ": " or "", key, tostring(v), table.concat(names, ", "))
end

-- The value v of option `key` checked against the list `names` (def when v
-- is nil); raises the message of bad_value at `level` (default: the caller
-- of the function that called enum).
function M.enum(where, key, v, names, def, level)
  local msg = M.bad_value(where, key, v, names)
  if msg then error(msg, (level or 2) + 1) end
  if v == nil then return def end
  return v
end

return M
