-- Pupils per school and school year (the "total" row of each school).
WITH
-- include: enrolment_listed.sql
SELECT
    e.school_id,
    s.name                 AS school,
    e.school_year,
    e.start_year,
    e.pupils::BIGINT       AS pupils,
    e.source
FROM enrolment_listed e
JOIN school s USING (school_id)
WHERE s.municipality = $municipality
  AND e.pupils IS NOT NULL
  AND (len($schools::VARCHAR[]) = 0 OR list_contains($schools::VARCHAR[], e.school_id))
  AND (len($years::VARCHAR[]) = 0 OR list_contains($years::VARCHAR[], e.school_year))
ORDER BY e.start_year, e.pupils DESC
