-- Schools whose grade bands make up the whole school and add up to a different number than the
-- total row the same report states (enrolment_total: the pages use the sum; the stated total is
-- kept beside it and shown here), for the chosen municipality, schools and years.
SELECT
    e.school_id,
    s.name                      AS school,
    e.school_year,
    e.pupils::BIGINT            AS pupils,
    e.stated_pupils::BIGINT     AS stated_pupils,
    list_concat(e.source, coalesce(e.stated_source, []::VARCHAR[])) AS source
FROM enrolment_total e
JOIN school s USING (school_id)
WHERE s.municipality = $municipality
  AND e.from_bands AND e.stated_pupils IS NOT NULL AND e.stated_pupils <> e.pupils
  AND chosen($schools::VARCHAR[], e.school_id)
  AND chosen($years::VARCHAR[], e.school_year)
ORDER BY e.start_year, s.name
