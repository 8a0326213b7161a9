-- panel:scatter{...}: the fit and metrics, dropped points, log ticks, the
-- corner of the metrics box, labels that never overlap, and bad input.
local cbal = require "cbal"
local T = require "testutil"

local function overlap(a, b)
  return a.x < b.x + b.w and b.x < a.x + a.w and a.y < b.y + b.h and b.y < a.y + a.h
end

local function inside(a, r)
  return a.x >= r.x - 1e-9 and a.y >= r.y - 1e-9 and a.x + a.w <= r.x + r.w + 1e-9
    and a.y + a.h <= r.y + r.h + 1e-9
end

local function panel(w, h)
  local fig = cbal.figure { width_mm = w or 90, height_mm = h or 80 }
  return fig:panel {}, fig
end

describe("panel:scatter", function()
  before_each(function() cbal.warnings(true) end)

  it("fits y on x and reports n, r, R², the line and RMSE", function()
    local p = panel()
    local x = { 1, 2, 3, 4, 5 }
    p:scatter { x = x, y = { 3, 5, 7, 9, 11 }, one_to_one = true, fit = true }
    local i = p:info()
    assert.equal("scatter", i.kind)
    assert.equal(5, i.n)
    assert.equal(0, i.dropped)
    assert.near(2, i.slope, 1e-12)
    assert.near(1, i.intercept, 1e-12)
    assert.near(1, i.r, 1e-12)
    -- RMSE of y - x = sqrt(mean((x + 1)^2)) = sqrt((4+9+16+25+36)/5)
    assert.same({ "n = 5", "r = 1", "R² = 1", "y = 2x + 1", "RMSE = 4.24" }, i.lines)
    assert.same(i.x_ticks, i.y_ticks) -- one_to_one: one range for both axes
  end)

  it("takes arrays and lists in any mix", function()
    local x, y = { 1, 2, 3, 4 }, { 2, 4, 7, 8 }
    local want
    for _, pair in ipairs { { x, y }, { cbal.array(x), cbal.array(y) },
                            { x, cbal.array(y) }, { cbal.array(x), y } } do
      local p = panel()
      p:scatter { x = pair[1], y = pair[2], fit = true }
      local i = p:info()
      want = want or i.slope
      assert.near(2.1, i.slope, 1e-12) -- not 1: y is not taken for x
      assert.equal(want, i.slope)
    end
  end)

  it("matches a least-squares fit computed by hand", function()
    local x = { 2.1, 3.7, 5.2, 8.8, 9.9, 12.5 }
    local y = { 1.0, 4.2, 4.9, 9.5, 8.1, 14.0 }
    local n, sx, sy, sxx, sxy, syy = #x, 0, 0, 0, 0, 0
    for k = 1, n do
      sx, sy = sx + x[k], sy + y[k]
      sxx, sxy, syy = sxx + x[k] ^ 2, sxy + x[k] * y[k], syy + y[k] ^ 2
    end
    local b = (n * sxy - sx * sy) / (n * sxx - sx ^ 2)
    local r = (n * sxy - sx * sy) / math.sqrt((n * sxx - sx ^ 2) * (n * syy - sy ^ 2))
    local p = panel()
    p:scatter { x = x, y = y, fit = true }
    local i = p:info()
    assert.near(b, i.slope, 1e-12)
    assert.near((sy - b * sx) / n, i.intercept, 1e-12)
    assert.near(r, i.r, 1e-12)
    assert.equal(4, #i.lines) -- no RMSE without the 1:1 line
  end)

  it("leaves out missing pairs, and values <= 0 on log axes", function()
    local p = panel()
    p:scatter { x = { 1, 0 / 0, 3, 4 }, y = cbal.array { 2, 3, 0 / 0, 5 } }
    assert.equal(2, p:info().n)
    assert.equal(2, p:info().dropped)
    assert.is_nil(p:info().metrics_box) -- metrics follow fit, which is off
    local q = panel()
    q:scatter { x = { 5, 10, 0, 150, -2 }, y = { 6, 12, 3, 100, 4 }, log = true, fit = true }
    local i = q:info()
    assert.equal(3, i.n)
    assert.equal(2, i.dropped)
    -- log ticks are exponents: 5, 10, 20, 50, 100 in the padded 5..150
    local want = { math.log(5, 10), 1, math.log(20, 10), math.log(50, 10), 2 }
    assert.equal(#want, #i.x_ticks)
    for k, v in ipairs(want) do assert.near(v, i.x_ticks[k], 1e-9) end
    assert.truthy(i.lines[4]:match("^log y = "))
  end)

  it("puts the metrics box in the emptiest corner, or shows given lines", function()
    local p = panel()
    -- points crowd the top-left and bottom-right; the other corners are empty
    local x, y = {}, {}
    for k = 1, 10 do
      x[#x + 1], y[#y + 1] = k / 10, 10 - k / 10
      x[#x + 1], y[#y + 1] = 10 - k / 10, k / 10
    end
    p:scatter { x = x, y = y, fit = true }
    local c = p:info().corner
    assert.truthy(c == "top-right" or c == "bottom-left", c)
    local q = panel()
    q:scatter { x = { 1, 2, 3 }, y = { 1, 3, 2 }, metrics = { "r = 0.5", "MAPE = 12 %" } }
    assert.same({ "r = 0.5", "MAPE = 12 %" }, q:info().lines)
    local r = panel()
    r:scatter { x = { 1, 2, 3 }, y = { 1, 3, 2 }, fit = true, metrics = false }
    assert.is_nil(r:info().metrics_box)
  end)

  it("places labels without overlaps, inside the plot, off the metrics box", function()
    local p = panel(100, 80)
    local x, y, names = {}, {}, {}
    local s = 7
    for k = 1, 60 do
      s = (s * 1103515245 + 12345) % 2147483648
      x[k] = s / 2147483648 * 100
      s = (s * 1103515245 + 12345) % 2147483648
      y[k] = x[k] * (0.5 + s / 2147483648)
      names[k] = ("县%d"):format(k)
    end
    names[5] = false -- no label for this one
    p:scatter { x = x, y = y, labels = names, one_to_one = true, fit = true }
    local i = p:info()
    assert.equal(59, #i.labels)
    assert.truthy(i.labels_placed > 30, i.labels_placed)
    for a = 1, #i.labels do
      local la = i.labels[a]
      assert.is_not.equal(5, la.point)
      if la.placed then
        assert.truthy(inside(la, i.plot))
        assert.is_false(overlap(la, i.metrics_box))
        for b = a + 1, #i.labels do
          if i.labels[b].placed then assert.is_false(overlap(la, i.labels[b])) end
        end
      end
    end
  end)

  it("drops labels that have no room, and says so once", function()
    local p, fig = panel(40, 30)
    local x, y, names = {}, {}, {}
    for k = 1, 50 do x[k], y[k], names[k] = 1 + (k % 3) * 1e-3, 1, "长长的县名" .. k end
    p:scatter { x = x, y = y, labels = names }
    local i = p:info()
    assert.truthy(i.labels_placed < 50 and i.labels_placed >= 1)
    local w = cbal.warnings(true)
    assert.equal(1, #w)
    assert.truthy(w[1]:match("labels have no room"))
    local dir = T.tmpdir()
    fig:save(dir .. "/s.png") -- lays out again: no second warning
    assert.same({}, cbal.warnings(true))
    assert.truthy(T.exists(dir .. "/s.png"))
    T.rmtree(dir)
  end)

  it("refuses bad input with a clear message", function()
    local function err(opts, pattern)
      local p = panel()
      local ok, msg = pcall(p.scatter, p, opts)
      assert.is_false(ok)
      assert.truthy(tostring(msg):match(pattern), msg)
    end
    err({ x = { 1, 2 }, y = { 1 } }, "x has 2 values but y has 1")
    err({ x = { 1, 2 } }, "give x = and y =")
    err({ x = { 1, 2 }, y = { 1, 2 }, labels = { "a" } }, "labels has 1 entries but x has 2")
    err({ x = { 0 / 0 }, y = { 1 } }, "none of the 1 points can be drawn")
    err({ x = { -1, 0 }, y = { 1, 2 }, log = true }, "log axes cannot show")
    err({ x = { 1 }, y = { 1 }, metrics = 3 }, "option 'metrics' must be")
    err({ x = { 1 }, y = { 1 }, metrics = { "1", "2", "3", "4", "5", "6", "7", "8", "9" } },
      "at most 8 metrics lines")
    err({ x = { 1 }, y = { 1 }, fitt = true }, "unknown key 'fitt' in scatter")
    err({ x = { 1, "a" }, y = { 1, 2 } }, "element 2")
  end)
end)
