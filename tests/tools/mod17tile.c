/* Writes a small MOD17A3HGF-like HDF4-EOS tile for tests: grid
 * MOD_Grid_MOD17A3H on the MODIS sinusoidal sphere with the fields
 * Npp_500m, Gpp_500m (int16, scale 0.0001, fill 32767) and Npp_QC_500m
 * (uint8), written through the HDF-EOS2 library as NASA's files are.
 *
 *   mod17tile OUT.hdf ULX ULY WIDTH HEIGHT CELL BASE [FILL_EVERY]
 *
 * Npp_500m of row r, column c (0-based) is BASE + r*WIDTH + c, except that
 * every FILL_EVERY-th cell (when given) holds 32767; Gpp_500m is twice Npp. */
#include <stdio.h>
#include <stdlib.h>

#include "hdf.h"
#include "mfhdf.h"
#include "HdfEosDef.h" /* after hdf.h, whose types it uses */

#define GRID "MOD_Grid_MOD17A3H"

static int attrs(int32 fid, const char *field) {
  int32 hdf, sd;
  if (EHidinfo(fid, &hdf, &sd) != 0) return -1;
  int32 sds = SDselect(sd, SDnametoindex(sd, field));
  if (sds < 0) return -1;
  float64 scale = 0.0001, offset = 0;
  int16 fill = 32767, range[2] = {-30000, 32700};
  int rc = SDsetattr(sds, "scale_factor", DFNT_FLOAT64, 1, &scale) |
           SDsetattr(sds, "add_offset", DFNT_FLOAT64, 1, &offset) |
           SDsetattr(sds, "_FillValue", DFNT_INT16, 1, &fill) |
           SDsetattr(sds, "valid_range", DFNT_INT16, 2, range) |
           SDsetattr(sds, "units", DFNT_CHAR8, 9, "kg C/m^2");
  SDendaccess(sds);
  return rc;
}

static int write_tile(const char *out, double ulx, double uly, int w, int h,
                      double cell, int base, int fill_every) {
  int32 fid = GDopen((char *)out, DFACC_CREATE);
  if (fid < 0) return -1;
  float64 ul[2] = {ulx, uly}, lr[2] = {ulx + w * cell, uly - h * cell};
  float64 pp[16] = {6371007.181};
  int32 gid = GDcreate(fid, GRID, w, h, ul, lr);
  int rc = gid < 0 || GDdefproj(gid, GCTP_SNSOID, 0, -1, pp) ||
           GDdeforigin(gid, HDFE_GD_UL) || GDdefpixreg(gid, HDFE_CENTER) ||
           GDdeffield(gid, "Npp_500m", "YDim,XDim", DFNT_INT16, HDFE_NOMERGE) ||
           GDdeffield(gid, "Gpp_500m", "YDim,XDim", DFNT_INT16, HDFE_NOMERGE) ||
           GDdeffield(gid, "Npp_QC_500m", "YDim,XDim", DFNT_UINT8, HDFE_NOMERGE);
  if (gid >= 0) GDdetach(gid);
  int16 *npp = malloc(sizeof *npp * w * h), *gpp = malloc(sizeof *gpp * w * h);
  uint8 *qc = calloc((size_t)w * h, 1);
  for (int i = 0; i < w * h; i++) {
    int fill = fill_every > 0 && i % fill_every == fill_every - 1;
    npp[i] = (int16)(fill ? 32767 : base + i);
    gpp[i] = (int16)(fill ? 32767 : 2 * (base + i));
  }
  if (!rc) {
    gid = GDattach(fid, GRID);
    rc = gid < 0 || GDwritefield(gid, "Npp_500m", NULL, NULL, NULL, npp) ||
         GDwritefield(gid, "Gpp_500m", NULL, NULL, NULL, gpp) ||
         GDwritefield(gid, "Npp_QC_500m", NULL, NULL, NULL, qc);
    if (gid >= 0) GDdetach(gid);
  }
  rc = rc || attrs(fid, "Npp_500m") || attrs(fid, "Gpp_500m");
  free(npp), free(gpp), free(qc);
  return GDclose(fid) || rc ? -1 : 0;
}

int main(int argc, char **argv) {
  if (argc < 8) {
    fprintf(stderr, "usage: mod17tile OUT.hdf ULX ULY WIDTH HEIGHT CELL BASE "
            "[FILL_EVERY]\n");
    return 2;
  }
  if (write_tile(argv[1], atof(argv[2]), atof(argv[3]), atoi(argv[4]),
                 atoi(argv[5]), atof(argv[6]), atoi(argv[7]),
                 argc > 8 ? atoi(argv[8]) : 0)) {
    fprintf(stderr, "mod17tile: cannot write '%s'\n", argv[1]);
    return 1;
  }
  return 0;
}
