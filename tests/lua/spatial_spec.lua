-- cbal.spatial against R's spdep (1.2-7, Debian's r-cran-spdep; R is not a
-- dependency of cbal): contiguity and knn neighbours, Moran's I, Geary's C,
-- local Moran and Getis-Ord G on a generated lattice of 42 jittered
-- quadrilaterals, to 1e-10; permutation p-values within Monte Carlo error;
-- islands; GAL/GWT files; the bad inputs of docs/spatial.md.
local cbal = require "cbal"
local T = require "testutil"

-- R is the output of this script (the fixture below, built the same way;
-- the Albers CRS is the one cbal picks for the lattice, and for the lattice
-- with its island):
--[==[
suppressMessages({library(spdep); library(sf)})
nx <- 7; ny <- 6
cx <- function(i, j) 118 + i * 0.1 + 0.02 * sin(3 * i + 5 * j)
cy <- function(i, j) 32 + j * 0.1 + 0.02 * cos(2 * i - 7 * j)
polys <- list()
for (j in 0:(ny - 1)) for (i in 0:(nx - 1))
  polys[[length(polys) + 1]] <- st_polygon(list(rbind(c(cx(i, j), cy(i, j)),
    c(cx(i + 1, j), cy(i + 1, j)), c(cx(i + 1, j + 1), cy(i + 1, j + 1)),
    c(cx(i, j + 1), cy(i, j + 1)), c(cx(i, j), cy(i, j)))))
n <- length(polys)
x <- sapply(1:n, function(i) 10 + 5 * sin(i / 3) + 0.1 * i + (i %% 4))
albers <- "+proj=aea +lat_0=32.301160 +lon_0=118.349138 +lat_1=32.089199 +lat_2=32.513121 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs +type=crs"
g <- st_transform(st_sfc(polys, crs = 4326), albers)
nb <- poly2nb(g, queen = TRUE, snap = 1)
nbr <- poly2nb(g, queen = FALSE, snap = 1)
f <- function(v) paste(sprintf("%.17g", v), collapse = ", ")
lists <- function(nb) paste(sapply(nb, function(v) if (length(v) == 1 && v == 0) "" else paste(v, collapse = ",")), collapse = ";")
cat(sprintf('queen = "%s",\nrook = "%s",\n', lists(nb), lists(nbr)))
kn <- knn2nb(knearneigh(st_coordinates(st_centroid(g)), k = 4))
cat(sprintf('knn4 = "%s",\n', lists(kn)))
for (st in c("W", "B")) {
  lw <- nb2listw(nb, style = st)
  mn <- moran.test(x, lw, randomisation = FALSE, alternative = "two.sided")
  mr <- moran.test(x, lw, randomisation = TRUE, alternative = "two.sided")
  gn <- geary.test(x, lw, randomisation = FALSE, alternative = "two.sided")
  gr <- geary.test(x, lw, randomisation = TRUE, alternative = "two.sided")
  cat(sprintf("moran_%s = { %s },\n", st, f(c(mn$estimate, mr$estimate[3], mn$statistic, mr$statistic, mn$p.value, mr$p.value))))
  cat(sprintf("geary_%s = { %s },\n", st, f(c(gn$estimate, gr$estimate[3], gn$statistic, gr$statistic, gn$p.value, gr$p.value))))
}
lw <- nb2listw(nb, style = "W")
lm <- localmoran(x, lw)
cat(sprintf("Ii = { %s },\nE_Ii = { %s },\nV_Ii = { %s },\nZ_Ii = { %s },\n", f(lm[, 1]), f(lm[, 2]), f(lm[, 3]), f(lm[, 4])))
lt <- localmoran(x, lw, conditional = FALSE)
cat(sprintf("E_Ii_total = { %s },\nV_Ii_total = { %s },\n", f(lt[, 2]), f(lt[, 3])))
cat(sprintf("Gstar_B = { %s },\n", f(as.numeric(localG(x, nb2listw(include.self(nb), style = "B"))))))
cat(sprintf("Gstar_W = { %s },\n", f(as.numeric(localG(x, nb2listw(include.self(nb), style = "W"))))))
cat(sprintf("Gi_B = { %s },\n", f(as.numeric(localG(x, nb2listw(nb, style = "B"))))))
set.seed(1)
mc <- moran.mc(x, lw, nsim = 999, alternative = "less")
cat(sprintf("moran_mc_less = %.17g,\n", mc$p.value))
set.seed(1)
lp <- localmoran_perm(x, lw, nsim = 999)
cat(sprintf("local_p_folded = { %s },\n", f(lp[, 7])))
# an island: a 43rd square far from the others
isl <- st_polygon(list(rbind(c(119.5, 32.9), c(119.55, 32.9), c(119.55, 32.95), c(119.5, 32.95), c(119.5, 32.9))))
albers2 <- "+proj=aea +lat_0=32.466609 +lon_0=118.765120 +lat_1=32.144349 +lat_2=32.788870 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs +type=crs"
g2 <- st_transform(st_sfc(c(polys, list(isl)), crs = 4326), albers2)
nb2 <- poly2nb(g2, queen = TRUE, snap = 1)
x2 <- c(x, 30)
lw2 <- nb2listw(nb2, style = "W", zero.policy = TRUE)
m2 <- moran.test(x2, lw2, zero.policy = TRUE, alternative = "two.sided")
cat(sprintf("island_moran = { %s },\n", f(c(m2$estimate, m2$statistic))))
]==]
local R = {
  queen = "2,8,9;1,3,8,9,10;2,4,9,10,11;3,5,10,11,12;4,6,11,12,13;5,7,12,13,14;6,13,14;"
      .. "1,2,9,15,16;1,2,3,8,10,15,16,17;2,3,4,9,11,16,17,18;3,4,5,10,12,17,18,19;"
      .. "4,5,6,11,13,18,19,20;5,6,7,12,14,19,20,21;6,7,13,20,21;8,9,16,22,23;"
      .. "8,9,10,15,17,22,23,24;9,10,11,16,18,23,24,25;10,11,12,17,19,24,25,26;"
      .. "11,12,13,18,20,25,26,27;12,13,14,19,21,26,27,28;13,14,20,27,28;15,16,23,29,30;"
      .. "15,16,17,22,24,29,30,31;16,17,18,23,25,30,31,32;17,18,19,24,26,31,32,33;"
      .. "18,19,20,25,27,32,33,34;19,20,21,26,28,33,34,35;20,21,27,34,35;22,23,30,36,37;"
      .. "22,23,24,29,31,36,37,38;23,24,25,30,32,37,38,39;24,25,26,31,33,38,39,40;"
      .. "25,26,27,32,34,39,40,41;26,27,28,33,35,40,41,42;27,28,34,41,42;29,30,37;"
      .. "29,30,31,36,38;30,31,32,37,39;31,32,33,38,40;32,33,34,39,41;33,34,35,40,42;"
      .. "34,35,41",
  rook = "2,8;1,3,9;2,4,10;3,5,11;4,6,12;5,7,13;6,14;1,9,15;2,8,10,16;3,9,11,17;4,10,12,18;"
      .. "5,11,13,19;6,12,14,20;7,13,21;8,16,22;9,15,17,23;10,16,18,24;11,17,19,25;"
      .. "12,18,20,26;13,19,21,27;14,20,28;15,23,29;16,22,24,30;17,23,25,31;18,24,26,32;"
      .. "19,25,27,33;20,26,28,34;21,27,35;22,30,36;23,29,31,37;24,30,32,38;25,31,33,39;"
      .. "26,32,34,40;27,33,35,41;28,34,42;29,37;30,36,38;31,37,39;32,38,40;33,39,41;"
      .. "34,40,42;35,41",
  knn4 = "2,3,8,9;1,3,9,10;2,4,9,10;3,5,10,11;4,6,12,13;5,7,12,13;5,6,13,14;1,9,15,16;"
      .. "2,8,10,16;3,9,11,17;4,10,12,18;5,11,13,19;6,12,14,20;7,13,20,21;8,9,16,22;"
      .. "9,15,17,23;10,16,18,24;11,17,19,25;12,18,20,26;13,19,21,27;14,20,27,28;"
      .. "15,16,23,29;16,22,24,30;17,23,25,31;18,24,26,32;19,25,27,33;20,26,28,34;"
      .. "21,27,34,35;22,23,30,36;23,29,31,37;24,30,32,38;25,31,33,39;26,32,34,40;"
      .. "27,33,35,41;27,28,34,42;29,30,37,38;30,31,36,38;30,31,37,39;32,33,38,40;"
      .. "33,34,39,41;33,34,40,42;34,35,40,41",
  moran_W = { -0.16524068328621297, -0.024390243902439025, 0.0069047333573570577,
      0.0070646930775669107, -1.6950587300405486, -1.6757589850982402, 0.090064280163787536,
      0.093785410903918551 },
  geary_W = { 1.1496815645297516, 1, 0.007415328534514566, 0.0071787744405382454,
      -1.738213487127144, -1.7666200699429822, 0.082173203486232846, 0.077291877516166563 },
  moran_B = { -0.16991427005984999, -0.024390243902439025, 0.0062931041502605218,
      0.0064353159114894131, -1.8344346372187459, -1.8140521419230875, 0.066589501983170415,
      0.069669698590469994 },
  geary_B = { 1.1705363234942265, 1, 0.0098275836367751109, 0.0081796351002185637,
      -1.720257744726376, -1.8856015697670852, 0.085385600687642851, 0.059348665709619629 },
  Ii = { 0.032491650541890807, -0.038421743753993771, -0.16461225474278612,
      -0.090174605228091342, -0.38995727228562083, -0.5772066518684924, -0.6997673620915783,
      0.16296711625037988, 0.18248769085315444, 0.17895567437666751, 0.13165678525919608,
      0.15191540790160352, -0.0029286304299516374, -0.18573272400385168, -0.11804664417335797,
      -0.072006716678407523, 0.016526990508923232, 0.040271064230947534, -0.055628314886868473,
      0.010401634268506163, -0.3113149087129321, -0.49729989366410737, -0.67156640291119507,
      -0.3392392374620411, -0.33318489758434117, -0.23683159005593921, -0.095973242628228747,
      -0.01320954651893645, -0.10236768605859503, -0.14985682869703032, -0.21681749875509973,
      -0.77008518917578073, -0.71238660280413491, -0.50966293526030415, -0.25396216006668548,
      0.2612235827572662, 0.0385877057283062, -0.15206645521730783, -0.45767337260826157,
      -0.15238598671954096, 0.089152852660752402, 0.13362050168492307 },
  E_Ii = { -0.0028689205918676439, -0.0028644197930478531, -0.021416131279381932,
      -0.0027220114377416423, -0.010645241167434342, -0.017219572323611692,
      -0.019127299538178145, -0.0015118222885279618, -0.003483893262622763,
      -0.0067932647562014264, -0.010286683867451091, -0.076425601859196404,
      -0.070990820938882176, -0.055227853011105291, -0.032592535118039286, -0.073731032134378816,
      -0.03104371691319003, -0.0045584129999198071, -0.0022661298507377081,
      -3.6225136924948403e-05, -0.0098638294182792682, -0.035910806551135058,
      -0.067434022591557896, -0.019492469821419799, -0.027001395401058, -0.028414002866027795,
      -0.024634028361602986, -0.001008087042590731, -0.0030219686472493191,
      -0.0052809989540849537, -0.00605638141224033, -0.053998204522739714, -0.039012560680789232,
      -0.019487002296622508, -0.0035901080407588133, -0.016839084419741704,
      -0.00038623818321378535, -0.0091748079275870281, -0.043645188340397635,
      -0.020957575586175628, -0.053918470123370171, -0.089451424445355684 },
  V_Ii = { 0.03804717549051919, 0.021592984585765699, 0.15843855333907106, 0.02052239181154682,
      0.079621315259886583, 0.12793832341368325, 0.24952723114238085, 0.011412097315132794,
      0.015037042093735555, 0.029223447518352694, 0.044095884535664466, 0.30572010851926013,
      0.28565080704340556, 0.39446369370744128, 0.23836877900099712, 0.2958017097193823,
      0.13028401972193002, 0.019653626703084282, 0.0097929324551403255, 0.00015689444057769624,
      0.073834999213396882, 0.26173642716130407, 0.27237791191096661, 0.082781073844280142,
      0.11379198620553395, 0.11957129114912447, 0.10406777971712457, 0.0076134552714760082,
      0.022777042826747376, 0.022752532705396327, 0.026072832799411579, 0.221250638204529,
      0.16238107804632784, 0.082758315708830993, 0.027043776887509564, 0.22018854442009864,
      0.0029188328647938755, 0.068725169052716639, 0.3155565612159742, 0.15511876842464378,
      0.38564519139411624, 1.0832832325636983 },
  Z_Ii = { 0.18128340933037362, -0.24197624398667647, -0.35975002017073754, -0.61046210162246739,
      -1.3442558783312106, -1.5655887040794727, -1.3625690952492893, 1.5396696939037673,
      1.51658020357806, 1.0865772746157094, 0.67595282265114043, 0.41297324353865583,
      0.12734684638968674, -0.20778931105571019, -0.17502829597171515, 0.0031704169492552245,
      0.1317935131917678, 0.31977339147058359, -0.53923394688289683, 0.8333120563772074,
      -1.109393726922848, -0.90185191828315026, -1.1575670885068807, -1.1113238503483802,
      -0.90766574849501414, -0.6027273576291059, -0.22114146237453627, -0.13983660824769695,
      -0.65826457087910972, -0.958475066638522, -1.3052580565020515, -1.5223815574907134,
      -1.6710469827825691, -1.7039080802850841, -1.5224820345787737, 0.59257772721145729,
      0.72138937585246388, -0.54506580164385521, -0.73704040814133165, -0.33370067386854285,
      0.23038735152164111, 0.21432553018107126 },
  E_Ii_total = { -0.024390243902439025, -0.024390243902439025, -0.024390243902439025,
      -0.024390243902439025, -0.024390243902439025, -0.024390243902439025, -0.024390243902439025,
      -0.024390243902439025, -0.024390243902439025, -0.024390243902439025, -0.024390243902439025,
      -0.024390243902439025, -0.024390243902439025, -0.024390243902439025, -0.024390243902439025,
      -0.024390243902439025, -0.024390243902439025, -0.024390243902439025, -0.024390243902439025,
      -0.024390243902439025, -0.024390243902439025, -0.024390243902439025, -0.024390243902439025,
      -0.024390243902439025, -0.024390243902439025, -0.024390243902439025, -0.024390243902439025,
      -0.024390243902439025, -0.024390243902439025, -0.024390243902439025, -0.024390243902439025,
      -0.024390243902439025, -0.024390243902439025, -0.024390243902439025, -0.024390243902439025,
      -0.024390243902439025, -0.024390243902439025, -0.024390243902439025, -0.024390243902439025,
      -0.024390243902439025, -0.024390243902439025, -0.024390243902439025 },
  V_Ii_total = { 0.30920323384887727, 0.17601289267498327, 0.17601289267498327,
      0.17601289267498327, 0.17601289267498327, 0.17601289267498327, 0.30920323384887727,
      0.17601289267498327, 0.10109332576466781, 0.10109332576466781, 0.10109332576466781,
      0.10109332576466781, 0.10109332576466781, 0.17601289267498327, 0.17601289267498327,
      0.10109332576466781, 0.10109332576466781, 0.10109332576466781, 0.10109332576466781,
      0.10109332576466781, 0.17601289267498327, 0.17601289267498327, 0.10109332576466781,
      0.10109332576466781, 0.10109332576466781, 0.10109332576466781, 0.10109332576466781,
      0.17601289267498327, 0.17601289267498327, 0.10109332576466781, 0.10109332576466781,
      0.10109332576466781, 0.10109332576466781, 0.10109332576466781, 0.17601289267498327,
      0.30920323384887727, 0.17601289267498327, 0.17601289267498327, 0.17601289267498327,
      0.17601289267498327, 0.17601289267498327, 0.30920323384887727 },
  Gstar_B = { -0.3257322488084598, -0.094926276129320919, 0.025572086356682025,
      -0.4424603143922699, -0.99799746109499354, -1.1303802796117968, -0.77126651366596266,
      -1.5343814734666277, -1.5756245628782946, -1.2039864469915456, -0.84387583154837098,
      -0.91278621818482986, -0.62877712726599133, -0.38671937568340076, -0.28118246106471528,
      -0.52289698532595907, -0.4627152503039218, -0.43750886154477009, -0.42920438132695965,
      -0.81656634331051381, -0.78933655008836368, -0.36413756209888293, -0.58270120175264151,
      -0.7957821839585506, -0.5503180187775305, -0.25118122641242874, 0.08954569903489272,
      0.052966975375791842, 0.48016461426891816, 0.78437323455217345, 1.1081555051263059,
      0.98553555647809699, 1.2043665448529166, 1.3627078928094276, 1.274825483295454,
      -0.92137839003288791, -0.72280732597474551, -0.27289312825670103, -0.16249153903108721,
      0.045745912656189013, 0.77839732849957366, 1.1033289379307927 },
  Gstar_W = { -0.3257322488084598, -0.094926276129322182, 0.025572086356682445,
      -0.44246031439227079, -0.9979974610949921, -1.1303802796117952, -0.77126651366596266,
      -1.5343814734666277, -1.5756245628782979, -1.203986446991546, -0.84387583154837142,
      -0.91278621818482719, -0.62877712726599067, -0.38671937568339959, -0.28118246106471656,
      -0.5228969853259583, -0.46271525030391814, -0.43750886154476887, -0.42920438132695882,
      -0.81656634331051381, -0.78933655008836379, -0.36413756209888343, -0.58270120175264295,
      -0.79578218395855027, -0.55031801877753095, -0.25118122641242929, 0.089545699034893803,
      0.05296697537579019, 0.48016461426891655, 0.78437323455217189, 1.1081555051263041,
      0.98553555647809521, 1.2043665448529168, 1.3627078928094281, 1.2748254832954529,
      -0.92137839003288791, -0.72280732597474595, -0.27289312825670148, -0.1624915390310864,
      0.045745912656189429, 0.77839732849957499, 1.1033289379307927 },
  Gi_B = { -0.18128340933037479, -0.24197624398667794, -0.35975002017073732,
      -0.61046210162246817, -1.3442558783312106, -1.565588704079474, -1.3625690952492848,
      -1.5396696939037697, -1.5165802035780609, -1.086577274615709, -0.67595282265114243,
      -0.41297324353865816, -0.12734684638968982, 0.20778931105571152, 0.17502829597171607,
      -0.0031704169492568794, -0.13179351319177005, -0.31977339147058365, -0.53923394688289628,
      -0.83331205637720929, -1.1093937269228498, -0.90185191828315192, -1.1575670885068774,
      -1.1113238503483776, -0.90766574849501658, -0.6027273576291079, -0.22114146237453874,
      0.1398366082476975, 0.6582645708791105, 0.95847506663852222, 1.3052580565020537,
      1.522381557490714, 1.6710469827825687, 1.7039080802850879, 1.5224820345787771,
      -0.59257772721145818, -0.72138937585246565, -0.54506580164385765, -0.73704040814133343,
      -0.33370067386854352, 0.23038735152164019, 0.21432553018107089 },
  moran_mc_less = 0.031000000000000028,
  local_p_folded = { 0.41299999999999998, 0.40400000000000003, 0.38400000000000001,
      0.28799999999999998, 0.074999999999999997, 0.070999999999999994, 0.092999999999999999,
      0.080000000000000002, 0.10000000000000001, 0.14499999999999999, 0.27100000000000002,
      0.36199999999999999, 0.46400000000000002, 0.41699999999999998, 0.441, 0.49399999999999999,
      0.46999999999999997, 0.39000000000000001, 0.32000000000000001, 0.224, 0.14599999999999999,
      0.17699999999999999, 0.14899999999999999, 0.17100000000000001, 0.20899999999999999,
      0.28399999999999997, 0.40999999999999998, 0.46800000000000003, 0.246, 0.189, 0.126,
      0.072999999999999995, 0.060999999999999999, 0.076999999999999999, 0.070000000000000007,
      0.27500000000000002, 0.25600000000000001, 0.33200000000000002, 0.249, 0.373,
      0.41699999999999998, 0.41899999999999998 },
  island_moran = { -0.10060567418815163, -0.024390243902439025, 0.0065602357247099858,
      -0.94098604630496641 },
}

local function cx(i, j) return 118 + i * 0.1 + 0.02 * math.sin(3 * i + 5 * j) end
local function cy(i, j) return 32 + j * 0.1 + 0.02 * math.cos(2 * i - 7 * j) end

-- The lattice (and optionally the island) as a GeoPackage in dir; returns
-- the layer and the values x.
local function fixture(dir, island)
  local feats, x = {}, {}
  for j = 0, 5 do
    for i = 0, 6 do
      local k = #feats + 1
      feats[k] = { code = 320100 + k, name = "县" .. k, geometry = { { { cx(i, j), cy(i, j),
        cx(i + 1, j), cy(i + 1, j), cx(i + 1, j + 1), cy(i + 1, j + 1), cx(i, j + 1),
        cy(i, j + 1) } } } }
      x[k] = 10 + 5 * math.sin(k / 3) + 0.1 * k + (k % 4)
    end
  end
  if island then
    feats[43] = { code = 320143, name = "岛", geometry = { { { 119.5, 32.9, 119.55, 32.9,
      119.55, 32.95, 119.5, 32.95 } } } }
    x[43] = 30
  end
  local path = dir .. (island and "/island.gpkg" or "/lattice.gpkg")
  cbal.write_layer(path, { layer = "counties", crs = "EPSG:4326", features = feats,
    fields = { { name = "code", type = "integer" }, { name = "name", type = "string" } } })
  return cbal.open_layer(path), cbal.array(x)
end

local function lists(w)
  local t = {}
  for i = 1, #w do t[i] = table.concat((w:neighbours(i)), ",") end
  return table.concat(t, ";")
end

local function near(a, b, tol)
  return math.abs(a - b) <= tol
end

local function all_near(got, want, tol)
  assert.equal(#want, #got)
  for i = 1, #want do
    if not near(got[i], want[i], tol) then
      error(("element %d: %.17g, expected %.17g"):format(i, got[i], want[i]), 2)
    end
  end
end

local dir, layer, x
setup(function()
  dir = T.tmpdir()
  layer, x = fixture(dir)
end)
teardown(function() T.rmtree(dir) end)

describe("cbal.weights", function()
  it("builds queen and rook contiguity as spdep::poly2nb does", function()
    local q = cbal.weights(layer, { id = "code", name = "name" })
    assert.equal(42, #q)
    assert.equal(R.queen, lists(q))
    assert.equal(R.rook, lists(cbal.weights(layer, { rule = "rook" })))
    assert.equal("queen", q.rule)
    assert.equal("W", q.style)
    assert.equal(1, q.snap)
    assert.equal("320101", q.ids[1])
    assert.matches("^Albers equal%-area", q.basis)
    local nb, wt = q:neighbours(1)
    assert.same({ 2, 8, 9 }, nb)
    assert.is_true(near(wt[1], 1 / 3, 1e-15))
    local b = cbal.weights(layer, { style = "B" })
    assert.same({ 1, 1, 1 }, select(2, b:neighbours(1)))
    assert.has_error(function() q:neighbours(43) end,
      "neighbours: unit 43 is out of range (1..42)")
  end)

  it("finds the k nearest centroids as spdep::knearneigh does", function()
    local k = cbal.weights(layer, { rule = "knn", k = 4, style = "B" })
    assert.equal(R.knn4, lists(k))
    assert.matches("straight%-line distances between centroids", k.metric_basis)
    -- geodesic distances on this small lattice pick the same neighbours
    local g = cbal.weights(layer, { rule = "knn", k = 4, metric = "geodesic" })
    assert.equal(R.knn4, lists(g))
  end)

  it("links centroids within a distance band", function()
    local w = cbal.weights(layer, { rule = "distance", band = 13000, style = "B" })
    local g = w.geometry
    for i = 1, #w do
      local nb = w:neighbours(i)
      local set = {}
      for _, j in ipairs(nb) do set[j] = true end
      for j = 1, #w do
        if j ~= i then
          local d = math.sqrt((g.x[i] - g.x[j]) ^ 2 + (g.y[i] - g.y[j]) ^ 2)
          assert.equal(d <= 13000, set[j] == true)
        end
      end
    end
  end)

  it("reports islands by name and keeps or drops them", function()
    local il = fixture(dir, true)
    cbal.warnings(true)
    local keep = cbal.weights(il, { id = "code", name = "name" })
    assert.same({ "320143 (岛)" }, keep.islands)
    assert.matches("1 county without neighbours %(kept, with no spatial lag%): 320143 %(岛%)",
      cbal.warnings(true)[1])
    assert.equal(43, #keep)
    local drop = cbal.weights(il, { id = "code", name = "name", islands = "drop" })
    assert.equal(42, #drop)
    assert.same({ 43 }, drop.island_index)
    assert.equal(R.queen, lists(drop))
  end)

  it("writes and reads GAL and GWT files as GeoDa does", function()
    local w = cbal.weights(layer, { id = "code", style = "B" })
    w:write(dir .. "/w.gal")
    w:write(dir .. "/w.gwt")
    local gal = T.read(dir .. "/w.gal")
    assert.matches("^0 42 lattice code\n320101 3\n320102 320108 320109\n", gal)
    local r = cbal.spatial.read_weights(dir .. "/w.gal")
    assert.equal(R.queen, lists(r))
    assert.equal("320101", r.ids[1])
    assert.equal("W", r.style)
    local g = cbal.spatial.read_weights(dir .. "/w.gwt")
    assert.equal(R.queen, lists(g))
    assert.same({ 1, 1, 1 }, select(2, g:neighbours(1)))
    -- a file in another order is put in the layer's order by ids
    local ids = {}
    for i = 42, 1, -1 do ids[#ids + 1] = w.ids[i] end
    local rev = cbal.spatial.read_weights(dir .. "/w.gal", { ids = ids })
    assert.equal("320142", rev.ids[1])
    local got = {}
    for _, j in ipairs((rev:neighbours(1))) do got[#got + 1] = rev.ids[j] end
    table.sort(got)
    assert.same({ "320134", "320135", "320141" }, got)
    assert.has_error(function() w:write(dir .. "/w.txt") end,
      "weights:write: '" .. dir .. "/w.txt' must end in .gal (neighbours) or .gwt "
      .. "(neighbours with weights)")
    T.write(dir .. "/bad.gal", "0 2 x id\n1 1\n3\n2 0\n")
    assert.has_error(function() cbal.spatial.read_weights(dir .. "/bad.gal") end,
      "cbal.spatial.read_weights: " .. dir .. "/bad.gal names 3 counties but its header "
      .. "declares 2; check the file")
    assert.has_error(function()
      cbal.spatial.read_weights(dir .. "/bad.gal", { ids = { "1", "2" } })
    end, "cbal.spatial.read_weights: " .. dir .. "/bad.gal names county '3', which is not "
      .. "among the 2 ids given")
  end)
end)

describe("cbal.spatial global statistics", function()
  local function check(st, m, g)
    all_near({ m.I, m.E, m.V_norm, m.V_rand, m.z_norm, m.z_rand, m.p_norm, m.p_rand },
      R["moran_" .. st], 1e-10)
    all_near({ g.C, g.E, g.V_norm, g.V_rand, g.z_norm, g.z_rand, g.p_norm, g.p_rand },
      R["geary_" .. st], 1e-10)
  end

  it("gives Moran's I and Geary's C with spdep's moments", function()
    for _, st in ipairs({ "W", "B" }) do
      local w = cbal.weights(layer, { style = st })
      check(st, cbal.spatial.moran(x, w), cbal.spatial.geary(x, w))
    end
  end)

  it("gives permutation p-values within Monte Carlo error, the same for any thread count", function()
    local w = cbal.weights(layer)
    local a = cbal.spatial.moran(x, w, { threads = 1 })
    local b = cbal.spatial.moran(x, w, { threads = 2 })
    local c = cbal.spatial.moran(x, w, { seed = 7 })
    assert.equal(a.p_sim, b.p_sim)
    assert.equal(999, a.permutations)
    -- I is below E[I]: the folded p is the lower tail, spdep's moran.mc "less";
    -- both estimate one p from 999 draws (sd about 0.0055)
    assert.is_true(near(a.p_sim, R.moran_mc_less, 0.02))
    assert.is_true(near(c.p_sim, a.p_sim, 0.02))
    assert.is_nil(cbal.spatial.moran(x, w, { permutations = 0 }).p_sim)
  end)

  it("reduces n for islands kept, as spdep's adjust.n", function()
    local il, x43 = fixture(dir, true)
    local w = cbal.weights(il)
    local m = cbal.spatial.moran(x43, w)
    all_near({ m.I, m.E, m.V_rand, m.z_rand }, R.island_moran, 1e-10)
    assert.equal(42, m.n)
  end)

  it("works over every year of a panel at once", function()
    local ids = {}
    for i = 1, 42 do ids[i] = 320100 + i end
    local p = cbal.panel.new { ids = ids }
    for y = 2000, 2002 do p:set("Q", y, x * (1 + (y - 2000) / 10) + (y == 2002 and cbal.seq(1, 42) or 0)) end
    local w = cbal.weights(layer, { id = "code" })
    local r = cbal.spatial.moran(p, w, { variables = { "Q" } })
    assert.equal(3, #r.list)
    -- a scaled variable has the same I
    assert.is_true(near(r.Q[2001].I, R.moran_W[1], 1e-10))
    assert.equal(2002, r.list[3].year)
    local keyed = cbal.spatial.moran({ [2000] = x, [2001] = x * 2 }, w)
    assert.is_true(near(keyed[2001].I, R.moran_W[1], 1e-10))
  end)
end)

describe("cbal.spatial local statistics", function()
  it("gives local Moran's I_i with spdep's conditional and total moments", function()
    local w = cbal.weights(layer)
    local r = cbal.spatial.local_moran(x, w)
    all_near(r.I, R.Ii, 1e-10)
    all_near(r.E, R.E_Ii, 1e-10)
    all_near(r.V, R.V_Ii, 1e-10)
    all_near(r.z, R.Z_Ii, 1e-10)
    local t = cbal.spatial.local_moran(x, w, { moments = "total", permutations = 0,
      significance = "normal" })
    all_near(t.E, R.E_Ii_total, 1e-10)
    all_near(t.V, R.V_Ii_total, 1e-10)
  end)

  it("gives conditional-permutation pseudo p within Monte Carlo error, run to run", function()
    local w = cbal.weights(layer)
    local a = cbal.spatial.local_moran(x, w)
    local b = cbal.spatial.local_moran(x, w, { threads = 1 })
    assert.is_true(a.p_sim == b.p_sim)
    local worst = 0
    for i = 1, 42 do
      local p = R.local_p_folded[i]
      -- two estimates of p from 999 draws each (spdep draws with
      -- replacement): 4 standard deviations of their difference
      local tol = 4 * math.sqrt(2 * p * (1 - p) / 999) + 0.002
      worst = math.max(worst, math.abs(a.p_sim[i] - p) / tol)
    end
    assert.is_true(worst <= 1, ("worst difference %.2f of the tolerance"):format(worst))
  end)

  it("classes counties HH/LL/LH/HL or not significant at alpha", function()
    local w = cbal.weights(layer)
    local r = cbal.spatial.local_moran(x, w, { alpha = 0.1 })
    local n = 0
    for i = 1, 42 do
      local c = r.cluster[i]
      if r.p_sim[i] <= 0.1 then
        assert.equal(r.quad[i], c)
        local hi, lag = x[i] > x:mean(), r.lag[i] > 0
        assert.equal(c, hi and (lag and 1 or 4) or (lag and 3 or 2))
        n = n + 1
      else
        assert.equal(0, c)
      end
    end
    assert.equal(42 - n, r.counts["not significant"])
    assert.equal("high-low", r.labels[4])
  end)

  it("gives Getis-Ord G_i* and G_i z-scores as spdep::localG", function()
    local w = cbal.weights(layer)
    all_near(cbal.spatial.getis_ord(x, w).z, R.Gstar_B, 1e-10)
    all_near(cbal.spatial.getis_ord(x, w, { style = "W" }).z, R.Gstar_W, 1e-10)
    all_near(cbal.spatial.getis_ord(x, w, { star = false }).z, R.Gi_B, 1e-10)
  end)

  it("returns layer-length arrays with NaN for dropped islands", function()
    local il, x43 = fixture(dir, true)
    local w = cbal.weights(il, { islands = "drop" })
    local r = cbal.spatial.local_moran(x43, w)
    assert.equal(43, #r.I)
    assert.is_true(r.I[43] ~= r.I[43])
    assert.equal(5, r.cluster[43])
    all_near(r.I:slice(1, 42), R.Ii, 1e-10)
    assert.equal(1, r.counts["no neighbours"])
    -- a subset of those weights still calls the island an island, and the
    -- county it leaves out "left out"
    local keep = cbal.array(42, 1)
    keep[3] = 0
    local s = cbal.spatial.local_moran(x43, w:subset(keep), { permutations = 9 })
    assert.equal(5, s.cluster[43])
    assert.equal(6, s.cluster[3])
    assert.same({ 43 }, w:subset(keep).island_index)
  end)
end)

describe("cbal.spatial bad inputs", function()
  it("refuses polygons that touch under no snap", function()
    local feats = {}
    for i = 0, 3 do
      local x0 = 118 + i * 0.2
      feats[#feats + 1] = { code = i, geometry = { { { x0, 32, x0 + 0.1, 32, x0 + 0.1, 32.1, x0,
        32.1 } } } }
    end
    local path = dir .. "/apart.gpkg"
    cbal.write_layer(path, { crs = "EPSG:4326", features = feats,
      fields = { { name = "code", type = "integer" } } })
    local l = cbal.open_layer(path)
    assert.has_error(function() cbal.weights(l, { snap = 100 }) end,
      "cbal.weights: no two of the 4 polygons of " .. path .. " share a boundary point within "
      .. "snap = 100 m (queen contiguity): the polygons do not touch; give a larger snap "
      .. "(metres) or use rule = \"knn\" or \"distance\"")
    -- the gaps are about 9.4 km wide
    assert.equal(6, #cbal.weights(l, { snap = 10000 }):triplets())
  end)

  it("refuses weights built on another layer", function()
    local il, x43 = fixture(dir, true)
    local w = cbal.weights(layer, { id = "code" })
    assert.has_error(function() cbal.spatial.moran(x43, w) end,
      "cbal.spatial.moran: the variable has 43 values but the queen weights of 42 counties "
      .. "built on " .. dir .. "/lattice.gpkg: compute the weights on the layer the values "
      .. "come from")
    local ids = {}
    for i = 1, 42 do ids[i] = 320100 + (i % 42) + 1 end
    local p = cbal.panel.new { ids = ids }
    p:set("Q", 2000, x)
    assert.has_error(function() cbal.spatial.local_moran(p, w, { variable = "Q" }) end,
      "cbal.spatial.local_moran: the panel's county 1 is 320102 but the weights' county 1 is "
      .. "320101: the weights were built on another layer (or in another order); build them "
      .. "on the layer the values come from")
  end)

  it("leaves out the counties a subset of the weights drops, whatever their value", function()
    local w = cbal.weights(layer, { id = "code", name = "name", style = "B" })
    local keep = cbal.array(42, 1)
    keep[5] = 0
    local ws = w:subset(keep):restyled("W")
    local y = x:copy()
    y[5] = math.huge
    -- Moran's I by hand over the other 41 counties, rows of the binary
    -- weights without county 5 standardised again
    local ti, tj = w:triplets()
    local rows, n, mean = {}, 0, 0
    for i = 1, 42 do if i ~= 5 then n, mean = n + 1, mean + x[i] end end
    mean = mean / n
    for k = 1, #ti do
      if ti[k] ~= 5 and tj[k] ~= 5 then
        rows[ti[k]] = rows[ti[k]] or {}
        table.insert(rows[ti[k]], tj[k])
      end
    end
    local num, den, s0 = 0, 0, 0
    for i = 1, 42 do
      if i ~= 5 then
        den = den + (x[i] - mean) ^ 2
        local r = rows[i] or {}
        for _, j in ipairs(r) do num = num + (x[i] - mean) * (x[j] - mean) / #r end
        if #r > 0 then s0 = s0 + 1 end
      end
    end
    local m = cbal.spatial.moran(y, ws, { permutations = 0 })
    assert.is_true(near(m.I, n / s0 * num / den, 1e-12))
    y[5] = 0 / 0
    local l = cbal.spatial.local_moran(y, ws, { permutations = 99 })
    assert.equal(6, l.cluster[5])
    assert.equal("left out", l.labels[6])
    assert.equal(1, l.counts["left out"])
    assert.is_true(l.I[5] ~= l.I[5])
  end)

  it("refuses missing values, constant variables and k >= n", function()
    local w = cbal.weights(layer, { id = "code", name = "name" })
    local y = x:copy()
    y[5] = 0 / 0
    assert.has_error(function() cbal.spatial.moran(y, w) end,
      "cbal.spatial.moran: the variable is missing (NaN) for county 320105 (县5); spatial "
      .. "statistics need a value for every county (fill it, or leave the county out of the "
      .. "weights with w:subset)")
    y[5] = math.huge
    assert.has_error(function() cbal.spatial.moran(y, w) end,
      "cbal.spatial.moran: the variable is +inf for county 320105 (县5); spatial statistics "
      .. "need finite values (leave the county out of the weights with w:subset)")
    assert.has_error(function() cbal.spatial.theil(y) end,
      "cbal.spatial.theil: the variable is +inf for county 5; spatial statistics need finite "
      .. "values (leave the county out)")
    assert.has_error(function() cbal.spatial.geary(cbal.array(42, 2.5), w) end,
      "cbal.spatial.geary: the variable is 2.5 for every county; the statistic is undefined "
      .. "for a constant variable")
    assert.has_error(function() cbal.weights(layer, { rule = "knn", k = 42 }) end,
      "cbal.weights: k = 42 nearest neighbours needs k < the number of counties (42)")
    assert.has_error(function() cbal.weights(layer, { rule = "hex" }) end,
      "cbal.weights: option 'rule': unknown value 'hex' (expected one of: queen, rook, knn, "
      .. "distance)")
    assert.has_error(function() cbal.weights(layer, { snapp = 1 }) end)
  end)
end)

describe("cbal.spatial inequality, centres and decoupling", function()
  it("decomposes Theil by groups and gives Gini (hand-computed)", function()
    local t = cbal.spatial.theil({ 1, 2, 3, 0 }, { groups = { "A", "A", "B", "B" } })
    local T = math.log(4 / 6) / 6 + math.log(4 / 3) / 3 + math.log(2) / 2
    assert.is_true(near(t.T, T, 1e-15))
    assert.equal(math.huge, t.L)
    assert.is_true(near(t.T_between, 0, 1e-15))
    assert.is_true(near(t.groups.B.T, math.log(2), 1e-15))
    assert.same({ "A", "B" }, t.group_order)
    assert.is_true(near(t.gini, 5 / 12, 1e-15)) -- sum |yi - yj| = 20 over 2 n^2 mean = 48
    local one = cbal.spatial.theil({ 1, 2, 3 }, { groups = { "a", "b", "c" } })
    assert.equal(0, one.T_within)
    assert.equal(1, one.T_between_share)
    assert.has_error(function() cbal.spatial.theil({ 1, -2, 3 }) end,
      "cbal.spatial.theil: the variable is -2 for county 2; inequality and centres "
      .. "need values >= 0")
    assert.is_true(near(cbal.spatial.gini({ 4, 1, 3, 2 }), 0.25, 1e-15))
  end)

  it("computes gravity centres in the equal-area CRS with ellipses maps can draw", function()
    local w = cbal.weights(layer)
    local g = w.geometry
    local ones = cbal.array(42, 1)
    local c = cbal.spatial.centres(g, ones)
    -- the unweighted centre is the mean of the planar centroids
    assert.is_true(near(c.x, g.x:mean(), 1e-6))
    assert.is_true(c.lon > 118.2 and c.lon < 118.5 and c.lat > 32.2 and c.lat < 32.4)
    assert.equal(146, #c.ellipse[1])
    -- weight on the bottom row only: the major axis runs about east-west
    local row = cbal.array(42, 0)
    for i = 1, 7 do row[i] = 1 end
    local r = cbal.spatial.centres(g, row)
    assert.is_true(math.abs(r.rotation - 90) < 10, "rotation " .. r.rotation)
    assert.is_true(r.major > 3 * r.minor)
    local a = cbal.spatial.centres(g, ones, { sqrt2 = true })
    assert.is_true(near(a.major, c.major * math.sqrt(2), 1e-6))
    -- a year-to-year move: all weight on county 1 then on county 2
    local e1, e2 = cbal.array(42, 0), cbal.array(42, 0)
    e1[1], e2[2] = 1, 1
    local m = cbal.spatial.centres(w, { [2000] = e1, [2001] = e2 })
    assert.is_true(near(m[2000].lon, g.lon[1], 1e-9))
    assert.equal("E", m[2001].direction)
    assert.is_true(near(m[2001].distance, select(1, require("cbal.core")._spatial.geodesic(
      g.lon[1], g.lat[1], g.lon[2], g.lat[2])), 1e-6))
    -- the ellipse polygon draws on a map
    local fig = cbal.figure { width_mm = 60, height_mm = 50 }
    fig:panel {}:map { polygons = { c.ellipse }, geographic = true }
    fig:save(dir .. "/ellipse.png")
    assert.is_true(T.exists(dir .. "/ellipse.png"))
  end)

  it("classes Tapio states per county and period", function()
    local r = cbal.spatial.tapio({ 1, 1, 1, 1 }, { 0.95, 1.05, 0.8, 1 }, { 1, 1, 1, 1 },
      { 1.1, 1.1, 0.9, 1 })
    assert.same({ 1, 2, 8, 0 }, r.state:totable())
    assert.equal(1, r.counts["strong decoupling"])
    assert.equal(1, r.counts.undefined)
    assert.equal("recessive decoupling", r.labels[8])
  end)
end)
