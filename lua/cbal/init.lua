-- The cbal library: native functions from cbal.core plus Lua modules that
-- load on first use (cbal.zoning, cbal.ceads, ...). A misspelt name raises
-- instead of returning nil.
local core = require "cbal.core"

local cbal = {}
for k, v in pairs(core) do
  if not k:match("^_") then cbal[k] = v end -- _x: native halves of modules
end

-- The cbal type of v: its metatable's __name when that is a cbal type
-- ("cbal.Array", "cbal.Panel", "cbal.SandboxFunction", ...), else type(v).
function cbal.type(v)
  local mt = getmetatable(v)
  local name = type(mt) == "table" and rawget(mt, "__name")
  if type(name) == "string" and name:find("^cbal%.") then return name end
  return type(v)
end

-- functions written in Lua: name -> module exporting it
local lazy_fn = { classify = "cbal.classify", weights = "cbal.spatial" }

-- name -> module, loaded on first access
local lazy = {
  panel = "cbal.panel", carbon = "cbal.carbon", lmdi_q = "cbal.lmdi",
  aggregate = "cbal.aggregate", zoning = "cbal.zoning", ceads = "cbal.ceads",
  synthetic = "cbal.synthetic", study = "cbal.study",
  figures = "cbal.figures", themes = "cbal.themes", gcj02 = "cbal.gcj02", validate = "cbal.validate",
  allocation = "cbal.allocation", spatial = "cbal.spatial",
}

return setmetatable(cbal, {
  __index = function(t, k)
    if lazy_fn[k] then
      local v = require(lazy_fn[k])[k]
      rawset(t, k, v)
      return v
    end
    local m = lazy[k]
    if m then
      local v = require(m)
      rawset(t, k, v)
      return v
    end
    error(("cbal has no field '%s'"):format(tostring(k)), 2)
  end,
})
