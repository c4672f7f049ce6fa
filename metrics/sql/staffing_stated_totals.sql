-- Municipal support-staff totals as the documents state them (stated_total), beside the sum of the
-- schools' own rows, so that a difference is shown with the data (Ludza 2022/2023 speech
-- therapists: schools sum to 3.2 FTE, the document states 3.25). Always the whole municipality:
-- a stated total is never compared with a subset of schools.
WITH school_sum AS (
    SELECT st.school_year, st.role, sum(st.fte)::DOUBLE AS school_sum
    FROM support_staff st
    JOIN school s USING (school_id)
    WHERE s.municipality = $municipality
    GROUP BY st.school_year, st.role
)
SELECT
    t.measure,
    t.value::DOUBLE                         AS stated,
    ss.school_sum,
    round(t.value::DOUBLE - ss.school_sum, 3) AS difference,
    [t.source]                              AS source
FROM stated_total t
LEFT JOIN school_sum ss ON ss.school_year = t.period AND ss.role = t.measure
WHERE t.municipality = $municipality
  AND t.topic = 'support_staff'
  AND chosen($years::VARCHAR[], t.period)
ORDER BY t.period, t.unit, t.measure
