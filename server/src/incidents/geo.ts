// Phones report WGS-84 latitude/longitude; sites, cameras and teams sit on the district's local
// map in metres east (x) and north (y) of an origin (`QLY_MAP_ORIGIN=lat,lon`). Over a district of
// a few kilometres an equirectangular projection at the origin is off by far less than a phone's
// GPS error, so nothing heavier is needed.
export interface GeoPoint {
  latitude: number;
  longitude: number;
}

const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;
/** Farther than this from the origin is not our district (and beyond the map's coordinate range). */
export const MAX_DISTRICT_RADIUS_M = 100_000;

export function toLocalMap(origin: GeoPoint, p: GeoPoint): { x: number; y: number } {
  const x = (p.longitude - origin.longitude) * RAD * EARTH_RADIUS_M * Math.cos(origin.latitude * RAD);
  const y = (p.latitude - origin.latitude) * RAD * EARTH_RADIUS_M;
  return { x: Math.round(x * 10) / 10, y: Math.round(y * 10) / 10 };
}

/** The inverse, for tests and the demo (where is map point x,y on a phone's GPS?). */
export function toGeo(origin: GeoPoint, x: number, y: number): GeoPoint {
  return {
    latitude: origin.latitude + y / (RAD * EARTH_RADIUS_M),
    longitude: origin.longitude + x / (RAD * EARTH_RADIUS_M * Math.cos(origin.latitude * RAD)),
  };
}

/** Parses `lat,lon` (decimal degrees). */
export function parseGeoPoint(raw: string): GeoPoint | null {
  const m = /^\s*(-?\d{1,2}(?:\.\d+)?)\s*,\s*(-?\d{1,3}(?:\.\d+)?)\s*$/.exec(raw);
  if (!m) return null;
  const latitude = Number(m[1]);
  const longitude = Number(m[2]);
  return Math.abs(latitude) <= 85 && Math.abs(longitude) <= 180 ? { latitude, longitude } : null;
}
