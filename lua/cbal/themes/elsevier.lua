-- Elsevier artwork instructions: 90 mm (single), 140 mm (1.5) or 190 mm
-- (double column) wide; lettering 7 pt at final size, nothing under 6 pt;
-- Arial, Times or Helvetica.
return {
  name = "Elsevier",
  font = "Arial, Helvetica, Liberation Sans, DejaVu Sans, WenQuanYi Micro Hei",
  font_size = 7, title_size = 8, label_size = 6,    -- pt (>= 6)
  line_width = 0.5, edge_width = 0.25,              -- pt
  margin = 2, gap = 4,                              -- mm
  ink = "#000000",
  palettes = { sequential = "YlOrRd", diverging = "RdBu_r", qualitative = "OkabeIto" },
  width_mm = 190, height_mm = 130,
  letters = "(a)",
}
