-- A reference series for all of Latvia (e.g. Pumpurs individual support plans per school year):
-- drawn as a reference line beside municipalities, never added to them.
SELECT measure, period AS school_year, start_year, value::DOUBLE AS value, unit, [source] AS source
FROM national_reference
WHERE measure = $measure
  AND chosen($start_years::INTEGER[], start_year)
ORDER BY start_year
