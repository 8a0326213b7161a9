-- Frontiers (the journal of the reference study): 85 mm (single) or 180
-- mm (double column) wide as in its templates; panels marked (A), (B), ...
-- beside the image, not on it; axes labelled with units; 8 pt text.
return {
  name = "Frontiers",
  font = "Arial, Helvetica, Liberation Sans, DejaVu Sans, WenQuanYi Micro Hei",
  font_size = 8, title_size = 9, label_size = 6,    -- pt
  line_width = 0.5, edge_width = 0.25,              -- pt
  margin = 2, gap = 4,                              -- mm
  ink = "#000000",
  palettes = { sequential = "YlOrRd", diverging = "RdBu_r", qualitative = "OkabeIto" },
  width_mm = 180, height_mm = 120,
  letters = "(A)",
}
