-- The study's outputs in the order of report.html: headings, and the names
-- of items, each a file lua/cbal/report/<name>.lua returning {kind =
-- "table" | "figure" | "layer", inputs = {fields of the study state it
-- reads}, build = function(inputs) ... end} (see cbal.report). To add a
-- table or figure, write its file and add its name here.
return {
  "county_panel",
  { heading = "Data" },
  "data_coverage",
  { heading = "1. County emissions" },
  "fig1_emissions", "t1_emissions_per_capita", "t1_growth",
  { heading = "2. County sequestration" },
  "fig2_sequestration", "t2_sequestration_classes",
  { heading = "3. Provincial carbon balance" },
  "fig3_province", "t3_province", "t3_growth",
  { heading = "4. Prefecture cities" },
  "fig4_city_Q", "t4_Q_growth", "t4_city_Q",
  { heading = "5. County carbon balance coefficient" },
  "fig5_Q", "t5_Q_classes",
  { heading = "6. Driving factors (LMDI)" },
  "fig6_lmdi", "fig6b_lmdi_regional", "t6_lmdi_regional", "t6_lmdi_county",
  "t6_lmdi_county_chained",
  { heading = "7. Zoning" },
  "fig7_zoning", "t7_zone_counts", "t7_zoning",
  { heading = "8. Allocation checked against independent inventories", needs = "validation" },
  "fig8_validation", "t8_validation",
  { heading = "9. Spatial analysis", needs = "spatial" },
  "fig10_moran_scatter", "t9_moran", "fig9_lisa", "t10_lisa", "fig13_theil", "t11_theil",
  "fig11_centres", "t12_centres", "fig12_tapio", "t13_tapio_counts", "t13_tapio",
  "counties",
}
