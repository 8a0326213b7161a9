-- Slides (16:9, 338.7 x 190.5 mm = 13.33 x 7.5 in): 18 pt text, 24 pt
-- titles, heavier lines, wider spacing, 150 dpi PNG.
return {
  name = "slide",
  font = "DejaVu Sans, WenQuanYi Micro Hei",
  font_size = 18, title_size = 24, label_size = 12, -- pt
  line_width = 1.5, edge_width = 0.6,               -- pt
  margin = 6, gap = 10,                             -- mm
  ink = "#1a1a1a",
  palettes = { sequential = "YlOrRd", diverging = "RdBu_r", qualitative = "OkabeIto" },
  width_mm = 338.7, height_mm = 190.5, dpi = 150,
  letters = "(a)",
}
