-- Pumpurs individual support plans (IAP) and supported pupils per reporting period,
-- municipal schools only (a state college's plans are reported apart, never added in).
-- A period spanning several school years (Ludza: 2021/2022-2022/2023) is kept whole.
SELECT
    p.period,
    p.start_year,
    p.end_year,
    sum(p.iap_count)::BIGINT             AS iap_count,
    sum(p.participants)::BIGINT          AS participants,
    count(DISTINCT p.school_id)          AS schools,
    string_agg(DISTINCT p.semester, ', ' ORDER BY p.semester) AS semesters,
    list(DISTINCT p.source ORDER BY p.source) AS source
FROM pumpurs p
JOIN school s USING (school_id)
WHERE s.municipality = $municipality
  AND s.is_municipal
  AND chosen($schools::VARCHAR[], p.school_id)
  AND chosen_any($start_years::INTEGER[], range(p.start_year, p.end_year + 1))
GROUP BY p.period, p.start_year, p.end_year
ORDER BY p.start_year, p.end_year
