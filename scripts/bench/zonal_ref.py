# Reference for the zonal benchmark's centre-mode check: GDAL rasterize +
# numpy bincount, the way a user would do it without a zonal tool.
#   zonal_ref.py RASTER LAYER OUT  -> per zone "sum count" lines in OUT
import sys, numpy as np
from osgeo import gdal, ogr
gdal.UseExceptions()
raster, layer, out = sys.argv[1], sys.argv[2], sys.argv[3]
r = gdal.Open(raster); W, H = r.RasterXSize, r.RasterYSize
v = ogr.Open(layer); lyr = v.GetLayer(0); n = lyr.GetFeatureCount()
z = gdal.GetDriverByName('MEM').Create('', W, H, 1, gdal.GDT_Int32)
z.SetGeoTransform(r.GetGeoTransform()); z.SetProjection(r.GetProjection())
gdal.RasterizeLayer(z, [1], lyr, options=['ATTRIBUTE=zid'])
zones = z.ReadAsArray(); z = None
b = r.GetRasterBand(1)
vals = b.ReadAsArray(); nd = b.GetNoDataValue()
ok = (vals != nd) & (zones > 0)
s = np.bincount(zones[ok], weights=vals[ok], minlength=n + 1)
c = np.bincount(zones[ok], minlength=n + 1)
with open(out, 'w') as f:
    for i in range(1, n + 1):
        f.write('%.17g %d\n' % (s[i], c[i]))
