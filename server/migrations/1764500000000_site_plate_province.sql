-- Up Migration
-- The province most plates at a site carry (本地省份), as gate cameras are configured: the plate
-- reader leans towards it when the province character is unclear (analytics/src/plates/decode.ts).
-- NULL: no preference. One character of the plate alphabet's provinces.
ALTER TABLE sites ADD COLUMN IF NOT EXISTS plate_province text
  CHECK (plate_province IS NULL OR (length(plate_province) = 1 AND strpos('京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼', plate_province) > 0));

-- Down Migration
ALTER TABLE sites DROP COLUMN IF EXISTS plate_province;
