/* Validity of a polygon geometry (OGC rules, GEOS's IsValid) without the
 * round trip through WKB that OGR_G_IsValid makes: the rings' points go
 * straight into GEOS coordinate sequences. */
#ifndef CB_VALID_H
#define CB_VALID_H

#include <ogr_api.h>

/* 1 when g (a Polygon or MultiPolygon, 2D or not) is valid, 0 when it is
 * not; any other geometry, or one GEOS cannot take as it is (a ring of
 * fewer than 4 points, not closed), is decided by OGR_G_IsValid.
 * Thread-safe. Quiet: the reason for invalidity is not reported. */
int cb_polygon_valid(OGRGeometryH g);

#endif
