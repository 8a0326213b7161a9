-- cbal's own look: 7 pt text (8 pt titles), half-point axes, thin polygon
-- edges, colour-blind-safe palettes (docs/figures.md, "Palettes").
return {
  name = "default",
  font = "WenQuanYi Micro Hei, DejaVu Sans",
  font_size = 7, title_size = 8, label_size = 5.5,   -- pt
  line_width = 0.5, edge_width = 0.23,              -- pt
  margin = 2, gap = 4,                              -- mm
  ink = "#212121",
  palettes = { sequential = "YlOrRd", diverging = "RdBu_r", qualitative = "OkabeIto" },
  letters = "(a)",
}
