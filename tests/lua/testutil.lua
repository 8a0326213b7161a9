-- Small helpers shared by specs: temporary folders, file reading, running
-- the cbal executable.
local M = {}

M.build = os.getenv("CBAL_BUILD") or "build"
M.cbal = M.build .. "/cbal"

-- A new empty temporary folder (removed by M.rmtree).
function M.tmpdir()
  local p = io.popen("mktemp -d")
  local d = p:read("l")
  p:close()
  return d
end

function M.rmtree(d)
  assert(d:match("^/tmp/"), "refusing to remove " .. d)
  os.execute("rm -rf '" .. d .. "'")
end

function M.read(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("a")
  f:close()
  return s
end

function M.write(path, s)
  local f = assert(io.open(path, "wb"))
  f:write(s)
  f:close()
end

function M.exists(path)
  local f = io.open(path, "rb")
  if f then f:close() end
  return f ~= nil
end

local function q(s) return "'" .. tostring(s):gsub("'", "'\\''") .. "'" end
M.quote = q

-- Runs a shell command; returns exit code, stdout, stderr.
function M.sh(cmd, stdin)
  local dir = M.tmpdir()
  local full = cmd .. " >" .. dir .. "/out 2>" .. dir .. "/err"
  if stdin then
    M.write(dir .. "/in", stdin)
    full = full .. " <" .. dir .. "/in"
  else
    full = full .. " </dev/null"
  end
  local ok, how, code = os.execute(full)
  local out, err = M.read(dir .. "/out"), M.read(dir .. "/err")
  M.rmtree(dir)
  return (how == "exit" and code or 128 + code), out, err
end

-- Runs build/cbal with the given argument list (quoted for the shell).
function M.run_cbal(args, stdin)
  local parts = { M.cbal }
  for _, a in ipairs(args) do parts[#parts + 1] = q(a) end
  return M.sh(table.concat(parts, " "), stdin)
end

return M
