-- Nature research figure guide: 89 mm (single) or 183 mm (double column)
-- wide, at most 170 mm high; Arial or Helvetica; text 5-7 pt; lowercase
-- bold panel letters; an accessible (colour-blind-safe) palette; no
-- coloured text. Chinese names fall back to WenQuanYi Micro Hei.
return {
  name = "Nature",
  font = "Arial, Helvetica, Liberation Sans, DejaVu Sans, WenQuanYi Micro Hei",
  font_size = 6, title_size = 7, label_size = 5,    -- pt (5..7)
  line_width = 0.5, edge_width = 0.25,              -- pt
  margin = 1.5, gap = 3,                            -- mm
  ink = "#000000",
  palettes = { sequential = "YlOrRd", diverging = "RdBu_r", qualitative = "OkabeIto" },
  width_mm = 183, height_mm = 120,
  letters = "a",
}
