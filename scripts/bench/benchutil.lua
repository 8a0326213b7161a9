-- What the benchmarks share: running commands, reading and writing files,
-- and timing a command in a child process.
local M = {}

function M.sh(cmd)
  local ok = os.execute(cmd)
  if not ok then error("bench: command failed: " .. cmd, 0) end
end

function M.read(path)
  local f = assert(io.open(path))
  local s = f:read("a")
  f:close()
  return s
end

function M.write(path, s)
  local f = assert(io.open(path, "w"))
  f:write(s)
  f:close()
end

function M.exists(path)
  local f = io.open(path)
  if f then f:close() end
  return f ~= nil
end

-- The first line cmd prints.
function M.first_line(cmd)
  local p = io.popen(cmd)
  local s = p:read("l")
  p:close()
  return s
end

-- Runs cmd under /usr/bin/time, with `files` (if any) read first so that
-- every contender starts with its inputs in the page cache; returns wall
-- seconds, peak RSS (MB), stdout and CPU seconds (user + system, every
-- thread). dir holds the time and output files.
function M.measure(dir, cmd, files)
  local tf, of = dir .. "/time.txt", dir .. "/out.txt"
  if files then M.sh("cat " .. table.concat(files, " ") .. " > /dev/null") end
  M.sh(("/usr/bin/time -f '%%e %%M %%U %%S' -o %s %s > %s"):format(tf, cmd, of))
  local wall, kb, u, sy = M.read(tf):match("([%d.]+) (%d+) ([%d.]+) ([%d.]+)%s*$")
  return tonumber(wall), tonumber(kb) / 1024, M.read(of), tonumber(u) + tonumber(sy)
end

return M
