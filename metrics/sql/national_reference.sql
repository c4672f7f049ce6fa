-- A reference series for all of Latvia (e.g. Pumpurs individual support plans per school year):
-- drawn as a reference line beside municipalities, never added to them.
SELECT measure, period AS school_year, start_year, value::DOUBLE AS value, unit, [source] AS source
FROM national_reference
WHERE measure = $measure
  AND (len($start_years::INTEGER[]) = 0 OR list_contains($start_years::INTEGER[], start_year))
ORDER BY start_year
