-- Fixed facts of the synthetic province shared by its generators: the CRSs
-- of the two raster series, cities and counties, the emissions series.
local P = {}

-- CRSs as the real series declare them: a China Albers on Krasovsky (the
-- DMSP-like 1 km series) and the MODIS sinusoidal sphere.
P.LIGHT_CRS = 'PROJCS["China Albers Equal Area (Krasovsky)",GEOGCS["Krasovsky 1940",' ..
  'DATUM["Krassowsky_1940",SPHEROID["Krassowsky 1940",6378245,298.3]],PRIMEM["Greenwich",0],' ..
  'UNIT["degree",0.0174532925199433]],PROJECTION["Albers_Conic_Equal_Area"],' ..
  'PARAMETER["latitude_of_center",0],PARAMETER["longitude_of_center",105],' ..
  'PARAMETER["standard_parallel_1",25],PARAMETER["standard_parallel_2",47],' ..
  'PARAMETER["false_easting",0],PARAMETER["false_northing",0],UNIT["metre",1]]'
P.NPP_CRS = 'PROJCS["MODIS Sinusoidal",GEOGCS["Unknown datum based upon the custom spheroid",' ..
  'DATUM["Not specified (based on custom spheroid)",SPHEROID["Custom spheroid",6371007.181,0]],' ..
  'PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Sinusoidal"],' ..
  'PARAMETER["longitude_of_center",0],PARAMETER["false_easting",0],' ..
  'PARAMETER["false_northing",0],UNIT["metre",1]]'
P.NPP_CELL = 463.312716528
P.MODIS_X0, P.MODIS_Y0 = -20015109.354, 10007554.677

-- Cities: english name, chinese name, region, centre; counties as
-- {adcode, name, kind} with kind "c" core district, "s" suburban district,
-- "o" county or county-level city.
P.cities = {
  { "Nanjing", "南京市", "south", 118.80, 32.05, {
    {320102, "玄武区", "c"}, {320104, "秦淮区", "c"}, {320105, "建邺区", "c"},
    {320106, "鼓楼区", "c"}, {320111, "浦口区", "s"}, {320113, "栖霞区", "s"},
    {320114, "雨花台区", "c"}, {320115, "江宁区", "s"}, {320116, "六合区", "s"},
    {320117, "溧水区", "o"}, {320118, "高淳区", "o"} } },
  { "Wuxi", "无锡市", "south", 120.30, 31.57, {
    {320205, "锡山区", "s"}, {320206, "惠山区", "s"}, {320211, "滨湖区", "c"},
    {320213, "梁溪区", "c"}, {320214, "新吴区", "c"}, {320281, "江阴市", "o"},
    {320282, "宜兴市", "o"} } },
  { "Xuzhou", "徐州市", "north", 117.20, 34.26, {
    {320302, "鼓楼区", "c"}, {320303, "云龙区", "c"}, {320305, "贾汪区", "s"},
    {320311, "泉山区", "c"}, {320312, "铜山区", "s"}, {320321, "丰县", "o"},
    {320322, "沛县", "o"}, {320324, "睢宁县", "o"}, {320381, "新沂市", "o"},
    {320382, "邳州市", "o"} } },
  { "Changzhou", "常州市", "south", 119.95, 31.78, {
    {320402, "天宁区", "c"}, {320404, "钟楼区", "c"}, {320411, "新北区", "s"},
    {320412, "武进区", "s"}, {320413, "金坛区", "o"}, {320481, "溧阳市", "o"} } },
  { "Suzhou", "苏州市", "south", 120.60, 31.30, {
    {320505, "虎丘区", "c"}, {320506, "吴中区", "s"}, {320507, "相城区", "s"},
    {320508, "姑苏区", "c"}, {320509, "吴江区", "s"}, {320581, "常熟市", "o"},
    {320582, "张家港市", "o"}, {320583, "昆山市", "o"}, {320585, "太仓市", "o"} } },
  { "Nantong", "南通市", "central", 120.90, 32.00, {
    {320613, "崇川区", "c"}, {320612, "通州区", "s"}, {320614, "海门区", "o"},
    {320623, "如东县", "o"}, {320681, "启东市", "o"}, {320682, "如皋市", "o"},
    {320685, "海安市", "o"} } },
  { "Lianyungang", "连云港市", "north", 119.20, 34.60, {
    {320703, "连云区", "c"}, {320706, "海州区", "c"}, {320707, "赣榆区", "s"},
    {320722, "东海县", "o"}, {320723, "灌云县", "o"}, {320724, "灌南县", "o"} } },
  { "Huai'an", "淮安市", "north", 119.02, 33.60, {
    {320803, "淮安区", "s"}, {320804, "淮阴区", "s"}, {320812, "清江浦区", "c"},
    {320813, "洪泽区", "s"}, {320826, "涟水县", "o"}, {320830, "盱眙县", "o"},
    {320831, "金湖县", "o"} } },
  { "Yancheng", "盐城市", "north", 120.15, 33.35, {
    {320902, "亭湖区", "c"}, {320903, "盐都区", "s"}, {320904, "大丰区", "o"},
    {320921, "响水县", "o"}, {320922, "滨海县", "o"}, {320923, "阜宁县", "o"},
    {320924, "射阳县", "o"}, {320925, "建湖县", "o"}, {320981, "东台市", "o"} } },
  { "Yangzhou", "扬州市", "central", 119.42, 32.39, {
    {321002, "广陵区", "c"}, {321003, "邗江区", "s"}, {321012, "江都区", "s"},
    {321023, "宝应县", "o"}, {321081, "仪征市", "o"}, {321084, "高邮市", "o"} } },
  { "Zhenjiang", "镇江市", "south", 119.45, 32.18, {
    {321102, "京口区", "c"}, {321111, "润州区", "c"}, {321112, "丹徒区", "s"},
    {321181, "丹阳市", "o"}, {321182, "扬中市", "o"}, {321183, "句容市", "o"} } },
  { "Taizhou", "泰州市", "central", 119.92, 32.46, {
    {321202, "海陵区", "c"}, {321203, "高港区", "s"}, {321204, "姜堰区", "s"},
    {321281, "兴化市", "o"}, {321282, "靖江市", "o"}, {321283, "泰兴市", "o"} } },
  { "Suqian", "宿迁市", "north", 118.28, 33.96, {
    {321302, "宿城区", "c"}, {321311, "宿豫区", "s"}, {321322, "沭阳县", "o"},
    {321323, "泗阳县", "o"}, {321324, "泗洪县", "o"} } },
}
P.regions = { south = "苏南", central = "苏中", north = "苏北" }

-- Provincial CO2 emissions (Mt) shaped like the published series.
P.emissions = {}
for i, v in ipairs({ 199, 192, 215, 258, 318, 392, 440, 478, 500, 532, 590,
                     637, 650, 690, 695, 720, 745, 760, 775, 800, 815, 847 }) do
  P.emissions[1999 + i] = v
end

P.KX = math.cos(math.rad(33)) -- lon scale for isotropic distances

return P
