// A first check of plate text in forms (province character, a letter, 5–6 more; no I or O); the
// server's plate grammar is the authority and its `invalid_plate` message is shown when it disagrees.
/** Province characters of mainland plates, in the order of the plate alphabet. */
const PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼';
export const PLATE_PROVINCES = [...PROVINCES];
export const PLATE_RULE = new RegExp(`^[${PROVINCES}][A-HJ-NP-Z][·•\\s]?[A-HJ-NP-Z0-9]{4,6}[A-HJ-NP-Z0-9警学挂港澳]?$`, 'i');
export const VEHICLE_CLASSES = ['ordinary', 'suv', 'ev', 'luxury', 'truck'];
