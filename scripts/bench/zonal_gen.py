# Data of the zonal benchmark (scripts/bench/zonal.lua), generated once:
#   zonal_gen.py DIR deflate  -> DIR/ntl.tif (14000 x 6000 float32, 256x256
#                                tiles, DEFLATE) and DIR/counties.gpkg (3000
#                                polygons with shared wiggly edges, ~4.0M vertices)
#   zonal_gen.py DIR raw      -> DIR/ntl_raw.tif (13920 x 6240 float32, 512x512
#                                tiles, uncompressed), the same field of values
import os, sys, struct, numpy as np
from osgeo import gdal, ogr, osr
gdal.UseExceptions()
out, what = sys.argv[1], sys.argv[2]

def field(W, H, path, opts, seed):
    RES, X0, Y1 = 1 / 240, 75.0, 45.0
    srs = osr.SpatialReference(); srs.ImportFromEPSG(4326)
    ds = gdal.GetDriverByName('GTiff').Create(path, W, H, 1, gdal.GDT_Float32, opts)
    ds.SetGeoTransform([X0, RES, 0, Y1, 0, -RES]); ds.SetProjection(srs.ExportToWkt())
    b = ds.GetRasterBand(1); b.SetNoDataValue(-9999)
    rng = np.random.default_rng(seed)
    xs = np.arange(W)
    for y0 in range(0, H, 512):
        h = min(512, H - y0); yy = np.arange(y0, y0 + h)[:, None]
        v = 30 + 20 * np.sin(xs / 700.0)[None, :] * np.cos(yy / 500.0) + rng.random((h, W)) * 5
        v[(xs[None, :] + 2 * yy) > 2.2 * W] = -9999          # a corner of "sea"
        b.WriteArray(v.astype(np.float32), 0, y0)
    return rng

if what == 'raw':
    field(13920, 6240, out + '/ntl_raw.tif.part', ['TILED=YES', 'BLOCKXSIZE=512', 'BLOCKYSIZE=512'], 2)
    os.rename(out + '/ntl_raw.tif.part', out + '/ntl_raw.tif')
    sys.exit(0)
rng = field(14000, 6000, out + '/ntl.tif', ['TILED=YES', 'BLOCKXSIZE=256', 'BLOCKYSIZE=256',
    'COMPRESS=DEFLATE', 'ZLEVEL=1'], 1)
# polygons: a 60 x 50 lattice of jittered quads with shared wiggly edges
NX, NY, M = 60, 50, 333
x0, x1, y0, y1 = 75.3, 133.0, 20.3, 44.8
cx = np.linspace(x0, x1, NX + 1); cy = np.linspace(y0, y1, NY + 1)
dx, dy = cx[1] - cx[0], cy[1] - cy[0]
corner = np.zeros((NX + 1, NY + 1, 2))
for i in range(NX + 1):
    for j in range(NY + 1):
        jx = 0 if i in (0, NX) else rng.uniform(-0.25, 0.25) * dx
        jy = 0 if j in (0, NY) else rng.uniform(-0.25, 0.25) * dy
        corner[i, j] = (cx[i] + jx, cy[j] + jy)
t = np.linspace(0, 1, M)
env = np.sin(np.pi * t) ** 2
K = np.arange(1, 41)
def edge(a, b, seed):
    r = np.random.default_rng(seed)
    ph = r.uniform(0, 2 * np.pi, K.size)
    d = (np.sin(np.pi * np.outer(t, K) + ph) * (0.007 / K)).sum(1) * env
    p = a[None, :] + (b - a)[None, :] * t[:, None]
    n = np.array([-(b - a)[1], (b - a)[0]])
    return p + d[:, None] * n[None, :]
h_edges, v_edges = {}, {}
for i in range(NX):
    for j in range(NY + 1):
        h_edges[i, j] = edge(corner[i, j], corner[i + 1, j], 1000003 * i + j)
for i in range(NX + 1):
    for j in range(NY):
        v_edges[i, j] = edge(corner[i, j], corner[i, j + 1], 7000003 * i + j + 17)
drv = ogr.GetDriverByName('GPKG')
vds = drv.CreateDataSource(out + '/counties.gpkg')
srs = osr.SpatialReference(); srs.ImportFromEPSG(4326)
lyr = vds.CreateLayer('counties', srs, ogr.wkbPolygon)
lyr.CreateField(ogr.FieldDefn('zid', ogr.OFTInteger))
lyr.StartTransaction()
nv = 0
for j in range(NY):
    for i in range(NX):
        ring = np.concatenate([h_edges[i, j][:-1], v_edges[i + 1, j][:-1],
                               h_edges[i, j + 1][::-1][:-1], v_edges[i, j][::-1]])
        nv += len(ring)
        wkb = struct.pack('<BIII', 1, 3, 1, len(ring)) + ring.astype('<f8').tobytes()
        f = ogr.Feature(lyr.GetLayerDefn())
        f.SetField('zid', j * NX + i + 1)
        f.SetGeometry(ogr.CreateGeometryFromWkb(wkb))
        lyr.CreateFeature(f)
lyr.CommitTransaction()
vds = None
print(nv)
