# The floor of the zonal benchmark: read every pixel of a raster through
# GDAL on one thread, in strips of one block row (as float32, its type).
#   zonal_floor.py RASTER  -> prints read=SECONDS cpu=SECONDS (open included)
import sys, time
from osgeo import gdal
gdal.UseExceptions()
t0, c0 = time.perf_counter(), time.process_time()
ds = gdal.Open(sys.argv[1]); b = ds.GetRasterBand(1)
W, H = ds.RasterXSize, ds.RasterYSize
by = b.GetBlockSize()[1]
for y in range(0, H, by):
    b.ReadRaster(0, y, W, min(by, H - y))
print('read=%.4f cpu=%.4f' % (time.perf_counter() - t0, time.process_time() - c0))
