-- The output folder: everything is written into a fresh sibling folder and
-- swapped in only when the whole study succeeded, so `out` is either the
-- complete new result or untouched (a failed run removes its staging).
local fail = require("cbal.study.util").fail

local M = {}

local function q(s) return "'" .. tostring(s):gsub("'", "'\\''") .. "'" end

local function is_dir(path)
  return os.execute("test -d " .. q(path)) == true
end

-- Checks `out` and creates its staging folder; returns out (without a
-- trailing slash) and the staging folder.
function M.stage(out)
  if type(out) ~= "string" or out == "" then fail("field 'out' must be a folder path") end
  out = out:gsub("/+$", "")
  if out == "" or out == "." or out == ".." or out:match("/%.%.?$") then
    fail("out = '%s': give a folder of its own for the results (e.g. out/mystudy)", out)
  end
  if os.execute("test -e " .. q(out)) == true then
    if not is_dir(out) then fail("out = '%s' exists and is not a folder; choose another out", out) end
    local empty = os.execute("test -z \"$(ls -A " .. q(out) .. ")\"") == true
    if not empty and os.execute("test -f " .. q(out .. "/manifest.json")) ~= true then
      fail("out = '%s' exists and is not a cbal output folder (no manifest.json); it would be "
        .. "replaced as a whole: choose a new or empty folder", out)
    end
  end
  local tmp = ("%s.partial-%d-%d"):format(out, os.time(), math.random(1, 1 << 30))
  if os.execute("mkdir -p " .. q(tmp) .. " 2>/dev/null") ~= true then
    fail("cannot create the output folder '%s' (its parent is missing, not a folder or not "
      .. "writable); choose another out", out)
  end
  return out, tmp
end

-- Swaps the finished staging folder in for out (the old result removed).
function M.publish(tmp, out)
  local old
  if is_dir(out) then
    old = ("%s.old-%d-%d"):format(out, os.time(), math.random(1, 1 << 30))
    local ok, err = os.rename(out, old)
    if not ok then fail("cannot replace '%s' (%s); the new results are in '%s'", out, err, tmp) end
  end
  local ok, err = os.rename(tmp, out)
  if not ok then
    if old then os.rename(old, out) end
    fail("cannot move the results into '%s' (%s); they are in '%s'", out, err, tmp)
  end
  if old then os.execute("rm -rf " .. q(old)) end
end

-- Removes a staging folder (after a failed run).
function M.discard(tmp)
  os.execute("rm -rf " .. q(tmp))
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
