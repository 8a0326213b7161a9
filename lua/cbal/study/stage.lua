-- The output folder appears whole or not at all. A run writes everything,
-- manifest last, into its own staging folder `<out>.partial-XXXXXX` (made
-- exclusively by mkdtemp), then swaps it in: one atomic exchange where the
-- kernel has renameat2(RENAME_EXCHANGE), otherwise out -> `<out>.old-XXXXXX`
-- and staging -> out, so a kill at any point leaves one complete result
-- under a recognised name, which the next run puts back (recover). Errors
-- and Ctrl-C remove the staging folder.
local cbal = require "cbal"
local fail = require("cbal.study.util").fail

local M = {}

-- The file system calls, replaceable by tests.
M.rename, M.exchange, M.mkdtemp = os.rename, cbal.exchange, cbal.mkdtemp

local function q(s) return "'" .. tostring(s):gsub("'", "'\\''") .. "'" end

local function test(flag, path) return os.execute("test " .. flag .. " " .. q(path)) == true end

local function split(out)
  local parent, base = out:match("^(.*)/([^/]+)$")
  if not parent then return ".", out end
  return parent == "" and "/" or parent, base
end

-- Staging and old folders of out left beside it by an interrupted run.
local function leftovers(out)
  local parent, base = split(out)
  local p = io.popen("ls -A -- " .. q(parent) .. " 2>/dev/null")
  local list = {}
  for name in p:lines() do
    local kind = name:sub(1, #base + 1) == base .. "." and name:sub(#base + 2):match("^(%a+)%-.")
    if (kind == "partial" or kind == "old") and test("-d", parent .. "/" .. name) then
      list[#list + 1] = { kind = kind, path = (parent == "." and "" or parent .. "/") .. name,
        complete = test("-f", parent .. "/" .. name .. "/manifest.json") }
    end
  end
  p:close()
  table.sort(list, function(a, b) return a.path < b.path end)
  return list
end

-- After a run was killed while publishing: when out is missing, puts back
-- the complete result (the new one, else the old one) and removes the
-- other; other leftovers are warned about, never deleted (another run may
-- be writing them). Returns the path put back, or nil.
function M.recover(out)
  local list, back = leftovers(out), nil
  if not test("-e", out) then
    for _, kind in ipairs({ "partial", "old" }) do
      for _, f in ipairs(list) do
        if not back and f.kind == kind and f.complete then back = f end
      end
    end
    if back then
      assert(M.rename(back.path, out))
      cbal.warn(("study: '%s' was left by a run killed while publishing; it is '%s' again")
        :format(back.path, out))
    end
  end
  for _, f in ipairs(list) do
    if f ~= back and back and f.kind == "old" then
      M.discard(f.path)
    elseif f ~= back then
      cbal.warn(("study: '%s' is left from an interrupted run (%s); remove it"):format(f.path,
        f.complete and "a complete result" or "incomplete"))
    end
  end
  return back and back.path
end

-- Checks `out`, recovers an interrupted publish, and creates the staging
-- folder; returns out (without a trailing slash) and the staging folder.
function M.stage(out)
  if type(out) ~= "string" or out == "" then fail("field 'out' must be a folder path") end
  out = out:gsub("/+$", "")
  if out == "" or out == "." or out == ".." or out:match("/%.%.?$") then
    fail("out = '%s': give a folder of its own for the results (e.g. out/mystudy)", out)
  end
  M.recover(out)
  if test("-e", out) then
    if not test("-d", out) then fail("out = '%s' exists and is not a folder; choose another out", out) end
    local empty = os.execute("test -z \"$(ls -A " .. q(out) .. ")\"") == true
    if not empty and not test("-f", out .. "/manifest.json") then
      fail("out = '%s' exists and is not a cbal output folder (no manifest.json); it would be "
        .. "replaced as a whole: choose a new or empty folder", out)
    end
  end
  local parent = split(out)
  local ok, tmp = pcall(cbal.mkdir, parent), nil
  if ok then ok, tmp = pcall(M.mkdtemp, out .. ".partial-") end
  if not ok then
    fail("cannot create the output folder '%s' (its parent is missing, not a folder or not "
      .. "writable); choose another out", out)
  end
  return out, tmp
end

local function move(from, to, tmp, out)
  local ok, err = M.rename(from, to)
  if not ok then fail("cannot move '%s' to '%s' (%s); the new results are in '%s'", from, to, err, tmp) end
end

-- Swaps the finished staging folder in for out (the old result removed).
function M.publish(tmp, out)
  if not test("-e", out) then return move(tmp, out, tmp, out) end
  if M.exchange(tmp, out) then return M.discard(tmp) end
  local old = out .. ".old-" .. tmp:sub(-6)
  move(out, old, tmp, out)
  local ok, err = M.rename(tmp, out)
  if not ok then
    M.rename(old, out)
    fail("cannot move the results into '%s' (%s); they are in '%s'", out, err, tmp)
  end
  M.discard(old)
end

-- Removes a folder and everything in it (a staging or old folder).
function M.discard(path)
  os.execute("rm -rf -- " .. q(path))
end

-- Rewrites output paths (outputs, figures, tables) from the staging folder
-- to the final one.
function M.relocate(S, tmp, out)
  local pre = tmp .. "/"
  for _, list in ipairs({ S.outputs, S.figures or {}, S.tables or {} }) do
    for _, f in pairs(list) do
      if type(f) == "table" then
        for k, v in pairs(f) do
          if type(v) == "string" and v:sub(1, #pre) == pre then f[k] = out .. v:sub(#tmp + 1) end
        end
      end
    end
  end
  S.out = out
end

return M
