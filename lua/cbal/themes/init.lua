-- Figure themes: Lua tables of fonts, sizes (pt), line widths (pt),
-- colours, spacing (mm) and default palettes, loaded like a criteria file
-- (a sandboxed file that returns a table), a built-in name or a table.
-- cbal.figure{theme = ...} takes one; cbal.themes.use(t) (or CBAL_THEME)
-- sets the one every figure without its own uses.
local cbal = require "cbal"
local opts = require "cbal.opts"
local table_file = require "cbal.table_file"

local M = {}

M.builtin_names = { "default", "frontiers", "elsevier", "nature", "slide" }

-- key -> {kind, what}: the valid keys of a theme, and how each is checked.
local KEYS = {
  name = { "string", "a name for messages" },
  base = { "string", "a theme this one starts from (a name or a path)" },
  font = { "string", "font families, first installed wins" },
  font_size = { "pt", "ticks, legends, axis labels" },
  title_size = { "pt", "panel titles" },
  label_size = { "pt", "map labels" },
  line_width = { "ptw", "axes and frames" },
  edge_width = { "ptw", "polygon edges of maps" },
  margin = { "mm", "page margin" },
  gap = { "mm", "between panels" },
  ink = { "colour", "text and axes" },
  palettes = { "palettes", "{sequential=, diverging=, qualitative=}" },
  width_mm = { "mm", "figure width when the figure gives none" },
  height_mm = { "mm", "figure height when the figure gives none" },
  dpi = { "number", "PNG resolution when the figure gives none" },
  letters = { "letters", "panel letters: \"(a)\", \"(A)\", \"a\" or \"A\"" },
}

local function sorted_keys()
  local k = {}
  for name in pairs(KEYS) do k[#k + 1] = name end
  table.sort(k)
  return k
end

local function fail(src, fmt, ...)
  error(("theme %s: " .. fmt):format(src, ...), 0)
end

local function check_value(src, key, v)
  local kind = KEYS[key][1]
  if kind == "string" then
    if type(v) ~= "string" then fail(src, "'%s' must be a string, got %s", key, type(v)) end
  elseif kind == "colour" then
    if type(v) ~= "string" or not v:match("^#%x%x%x%x?%x?%x?$") then
      fail(src, "'%s' must be a colour \"#rrggbb\", got %s", key, tostring(v))
    end
  elseif kind == "letters" then
    local bad = opts.bad_value(nil, "letters", v, { "(a)", "(A)", "a", "A" })
    if bad then fail(src, "%s", bad) end
  elseif kind == "palettes" then
    if type(v) ~= "table" then fail(src, "'palettes' must be a table %s", KEYS.palettes[2]) end
    local bad = opts.unknown(v, { "diverging", "qualitative", "sequential" }, "palettes")
    if bad then fail(src, "%s", bad) end
    for k, name in pairs(v) do
      local ok, err = pcall(cbal.palette_info, name)
      if not ok then fail(src, "palettes.%s: %s", k, tostring(err)) end
    end
  else
    local hi = ({ pt = 40, ptw = 10, mm = 2000, number = 2400 })[kind]
    if type(v) ~= "number" or not (v > 0 and v <= hi) then
      fail(src, "'%s' (%s) must be a number in (0, %g], got %s", key, KEYS[key][2], hi,
        tostring(v))
    end
  end
end

-- Checks every key and value of theme table t (src names it).
function M.check(t, src)
  local bad = opts.unknown(t, sorted_keys(), "the theme")
  if bad then fail(src, "%s", bad) end
  for k, v in pairs(t) do check_value(src, k, v) end
  return t
end

local function builtin_path(name)
  return package.searchpath("cbal.themes." .. name, package.path)
end

-- A theme as a checked table: t is a built-in name, a path to a Lua file
-- returning a table, or a table; `base` chains are followed (at most 8).
function M.load(t, depth)
  depth = depth or 0
  if depth > 8 then error("theme: 'base' chains more than 8 themes (a loop?)", 0) end
  local src
  if type(t) == "string" then
    local path = builtin_path(t)
    if not path and not t:find("[/\\]") and not t:find("%.lua$") then
      error(("theme: no built-in theme '%s' (built-in: %s; or give a path to a .lua file)")
        :format(t, table.concat(M.builtin_names, ", ")), 0)
    end
    src = path or t
    t = table_file.load(src, "theme") -- in the sandbox, as criteria files are
  elseif type(t) == "table" then
    src = "table"
  else
    error("theme: give a built-in name, a path to a .lua file or a table, got " .. type(t), 0)
  end
  M.check(t, t.name and ("'" .. t.name .. "'") or src)
  if not t.base then return t end
  local merged = {}
  for k, v in pairs(M.load(t.base, depth + 1)) do merged[k] = v end
  for k, v in pairs(t) do if k ~= "base" then merged[k] = v end end
  return merged
end

local current -- the session's theme (cbal.themes.use), else CBAL_THEME

-- Sets the theme of every figure that gives none (nil: back to the
-- default, or CBAL_THEME).
function M.use(t)
  current = t ~= nil and M.load(t) or nil
  return current
end

-- Runs f(...) with t as the session's theme (nil: as it is), then puts
-- the previous one back, also when f raises.
function M.with(t, f, ...)
  if t == nil then return f(...) end
  local prev = current
  current = M.load(t)
  local r = table.pack(pcall(f, ...))
  current = prev
  if not r[1] then error(r[2], 0) end
  return table.unpack(r, 2, r.n)
end

-- The theme in effect for a figure that gives none, or nil.
function M.current()
  if current then return current end
  local env = os.getenv("CBAL_THEME")
  if env and env ~= "" then return M.load(env) end
  return nil
end

-- The flat options cbal.figure reads (sizes in mm where C wants mm).
local function pick(t)
  if t == nil then return M.current() end
  return M.load(t)
end

function M.resolve(t)
  t = pick(t)
  if not t then return nil end
  local pt = 25.4 / 72
  local p = t.palettes or {}
  return {
    font = t.font, font_size = t.font_size, title_size = t.title_size,
    label_size = t.label_size, margin = t.margin, gap = t.gap, ink = t.ink,
    line_width_mm = t.line_width and t.line_width * pt,
    edge_width_mm = t.edge_width and t.edge_width * pt,
    palette_sequential = p.sequential, palette_diverging = p.diverging,
    palette_qualitative = p.qualitative,
    width_mm = t.width_mm, height_mm = t.height_mm, dpi = t.dpi,
  }
end

-- Panel letter i (1 -> a) in the style of theme t (or the current one):
-- "(a)" (default), "(A)", "a" or "A".
function M.letter(t, i)
  t = pick(t)
  local style = t and t.letters or "(a)"
  local c = string.char(96 + i)
  if style:find("A") then c = c:upper() end
  return style:find("%(") and "(" .. c .. ")" or c
end

return M
