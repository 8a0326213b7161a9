-- cbal.classify(rules, vars [, opts]): declarative zoning rules, first
-- match wins. Each condition is one native mask (cbal.mask: a missing value
-- never satisfies a comparison); the rules, predicates and counts are Lua.
local cbal = require "cbal"
local opts_ = require "cbal.opts"

local M = {}

-- The comparison operators of a condition (those of cbal.mask).
M.OPERATORS = { "<", "<=", ">", ">=", "==", "~=" }
local OPS = {}
for _, op in ipairs(M.OPERATORS) do OPS[op] = true end
M.is_operator = function(op) return OPS[op] == true end

local function fail(fmt, ...) error("classify: " .. fmt:format(...), 0) end

local function is_array(v) return cbal.type(v) == "cbal.Array" end

-- vars (name -> array or list of numbers) as arrays of one length n.
local function read_vars(vars)
  local out, n, names = {}, nil, {}
  for name in pairs(vars) do
    if type(name) ~= "string" then fail("vars must be keyed by name, got a %s key", type(name)) end
    names[#names + 1] = name
  end
  table.sort(names)
  for _, name in ipairs(names) do
    local v = vars[name]
    if type(v) ~= "table" and not is_array(v) then
      fail("variable '%s' is a %s, expected an array or a table of numbers", name, type(v))
    end
    local ok, a = pcall(cbal.array, v)
    if not ok then fail("variable '%s': %s", name, tostring(a):gsub("^[^%s']-:%d+: ", "")) end
    if n and #a ~= n then fail("variable '%s' has %d values, others have %d", name, #a, n) end
    out[name], n = a, #a
  end
  return out, n or 0
end

-- The 0/1 mask of conditions {var, op, value} all holding (where = names
-- the rule in messages); nil when there are none (every item matches).
function M.conditions_mask(conds, vars, where)
  local mask
  for c, cond in ipairs(conds) do
    if type(cond) ~= "table" then fail("%s condition %d must be a table {var, op, value}", where, c) end
    local var, op, value = cond[1], cond[2], cond[3]
    if type(var) ~= "string" then fail("%s condition %d: first element must be a variable name", where, c) end
    if vars[var] == nil then fail("%s condition %d uses variable '%s', which is not in vars", where, c, var) end
    if not OPS[op] then
      fail("%s condition %d: %s", where, c, opts_.bad_value(nil, "op", tostring(op), M.OPERATORS))
    end
    if type(value) ~= "number" then fail("%s condition %d: value must be a number, got %s", where, c, type(value)) end
    mask = cbal.mask(vars[var], op, value, mask)
  end
  return mask
end

-- The mask of a rule's predicate: f(row, i) for every item.
local function predicate_mask(f, vars, n, r)
  local names, m = {}, {}
  for name in pairs(vars) do names[#names + 1] = name end
  for i = 1, n do
    local row = {}
    for _, name in ipairs(names) do row[name] = vars[name][i] end
    local ok, res = pcall(f, row, i)
    if not ok then
      fail("rule %d: 'when' failed on item %d: %s", r, i, type(res) == "string" and res
        or (getmetatable(res) and getmetatable(res).__tostring and tostring(res)) or "(error object)")
    end
    m[i] = res and 1 or 0
  end
  return cbal.array(m)
end

-- The match mask of rule r (nil: every item).
local function rule_mask(rule, r, vars, n)
  local where = ("rule %d"):format(r)
  if type(rule) ~= "table" then fail("rule %d must be a table {zone=, all=}", r) end
  local msg = opts_.unknown(rule, { "zone", "all", "when" }, "classify: " .. where)
  if msg then error(msg, 0) end
  if type(rule.zone) ~= "string" then fail("rule %d needs a zone name (string)", r) end
  if rule.all ~= nil and type(rule.all) ~= "table" then fail("rule %d: 'all' must be a list of conditions", r) end
  if rule.when ~= nil and type(rule.when) ~= "function" then
    fail("rule %d: 'when' must be a function, got %s", r, type(rule.when))
  end
  local mask = M.conditions_mask(rule.all or {}, vars, where)
  if rule.when then
    local pm = predicate_mask(rule.when, vars, n, r)
    mask = mask and mask * pm or pm
  end
  return mask
end

-- Zone numbers in order of first appearance; returns number of name.
local function numberer(names)
  local of = {}
  return function(name)
    if not of[name] then
      names[#names + 1] = name
      of[name] = #names
    end
    return of[name]
  end
end

local function classify(rules, vars, opts)
  if type(rules) ~= "table" then fail("rules must be a list, got %s", type(rules)) end
  if type(vars) ~= "table" then fail("vars must be a table name -> values, got %s", type(vars)) end
  opts = opts_.check("classify", opts, { "default", "unmatched" })
  local strict = opts_.enum("classify", "unmatched", opts.unmatched, { "error", "keep" }, "error") == "error"
  local v, n = read_vars(vars)
  local names = {}
  local number = numberer(names)
  local index = cbal.array(n, 0)
  for r, rule in ipairs(rules) do
    local mask = rule_mask(rule, r, v, n)
    local z = number(rule.zone)
    local free = index:eq(0)
    index = index + (mask and mask * free or free) * z
  end
  local dz = opts.default ~= nil and number(tostring(opts.default)) or 0
  local zones, counts = {}, {}
  for _, name in ipairs(names) do counts[name] = 0 end
  for i = 1, n do
    if index[i] == 0 then
      if strict and dz == 0 then
        fail("item %d matches no rule and there is no default zone (add a default or a catch-all rule)", i)
      end
      index[i] = dz
    end
    local z = index[i]
    zones[i] = z > 0 and names[z] or false
    if z > 0 then counts[names[z]] = counts[names[z]] + 1 end
  end
  return zones, counts, index, names
end

-- cbal.classify(rules, vars [, {default =, unmatched = "error" | "keep"}])
-- -> zones (names, false when unmatched), counts (name -> n), index (array
-- of zone numbers, 0 = unmatched), names (by number). Errors name the
-- caller's line, as the native functions' do.
function M.classify(rules, vars, opts)
  local r = table.pack(pcall(classify, rules, vars, opts))
  if not r[1] then error(r[2], 2) end
  return table.unpack(r, 2, r.n)
end

return M
