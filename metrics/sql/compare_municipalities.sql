-- Key measures of several municipalities side by side, per school year, as counts and as rates per
-- 100 pupils where the denominator exists (NULL, "no data", where it does not; never 0).
--   pupils          the municipal schools' pupils (enrolment_total), NULL where none is known
--   iap_count       Pumpurs individual support plans of the school year, the semesters added up as on
--                   the Pumpurs page: from the schools' rows, or, where a municipality reports only
--                   for itself, from its stated municipal totals (basis 'municipal'); the semesters
--                   it covers are in pumpurs_semesters ("I" alone is half a year)
--   participants    pupils supported by Pumpurs in the school year, from the same place
--   staff_fte       psychologist, speech therapist, special educator and social pedagogue FTE of
--                   the schools that report staff, with staff_pupils the pupils of those schools
-- Only single school years: a total printed for a span of years (Ludza 2021/2022-2022/2023) is
-- not a yearly figure and is left out here.
WITH chosen AS (
    SELECT code, name_lv, name_en FROM municipality WHERE list_contains($municipalities::VARCHAR[], code)
),
schools AS (
    SELECT s.school_id, s.municipality FROM school s JOIN chosen c ON c.code = s.municipality WHERE s.is_municipal
),
pupils AS (
    SELECT s.municipality, e.school_year, e.start_year, sum(e.pupils) AS pupils,
           list_sort(list_distinct(flatten(list(e.source)))) AS source
    FROM enrolment_total e JOIN schools s USING (school_id)
    WHERE e.pupils IS NOT NULL
    GROUP BY ALL
),
school_plans AS (
    SELECT s.municipality, p.period AS school_year, p.start_year,
           sum(p.iap_count) AS iap_count, sum(p.participants) AS participants,
           string_agg(DISTINCT p.semester, ', ' ORDER BY p.semester) AS semesters,
           list(DISTINCT p.source ORDER BY p.source) AS source
    FROM pumpurs p JOIN schools s USING (school_id)
    WHERE p.start_year = p.end_year
    GROUP BY ALL
),
stated_plans AS (
    SELECT t.municipality, t.period AS school_year, CAST(left(t.period, 4) AS INTEGER) AS start_year,
           sum(t.value) FILTER (WHERE t.measure = 'iap_count') AS iap_count,
           sum(t.value) FILTER (WHERE t.measure = 'participants') AS participants,
           coalesce(string_agg(DISTINCT nullif(t.semester, ''), ', ' ORDER BY nullif(t.semester, ''))
                        FILTER (WHERE t.measure = 'iap_count'), 'all') AS semesters,
           list(DISTINCT t.source ORDER BY t.source) AS source
    FROM stated_total t JOIN chosen c ON c.code = t.municipality
    WHERE t.topic = 'pumpurs' AND t.measure IN ('iap_count', 'participants') AND length(t.period) = 9
    GROUP BY ALL
),
plans AS (  -- the schools' rows where a municipality has any for the year, else its own totals
    SELECT *, 'schools' AS basis FROM school_plans
    UNION ALL
    SELECT *, 'municipal' AS basis FROM stated_plans sp
    WHERE NOT EXISTS (SELECT 1 FROM school_plans p WHERE p.municipality = sp.municipality AND p.school_year = sp.school_year)
),
staff AS (
    SELECT s.municipality, st.school_year, sum(st.fte) AS staff_fte, list(DISTINCT st.school_id) AS staff_schools,
           list(DISTINCT st.source ORDER BY st.source) AS source
    FROM support_staff st JOIN schools s USING (school_id)
    WHERE st.role IN ('psychologist', 'speech_therapist', 'special_educator', 'social_pedagogue')
    GROUP BY ALL
),
staff_pupils AS (
    SELECT f.municipality, f.school_year, sum(e.pupils) AS staff_pupils, count(e.pupils) = len(f.staff_schools) AS all_known
    FROM staff f, unnest(f.staff_schools) AS u(school_id)
    LEFT JOIN enrolment_total e ON e.school_id = u.school_id AND e.school_year = f.school_year
    GROUP BY f.municipality, f.school_year, f.staff_schools
),
years AS (
    SELECT municipality, school_year, start_year FROM pupils
    UNION SELECT municipality, school_year, start_year FROM plans
    UNION SELECT f.municipality, f.school_year, CAST(left(f.school_year, 4) AS INTEGER) FROM staff f
)
SELECT
    y.municipality,
    c.name_lv,
    c.name_en,
    y.school_year,
    y.start_year,
    p.pupils::BIGINT                                                        AS pupils,
    pl.iap_count::BIGINT                                                    AS iap_count,
    pl.participants::BIGINT                                                 AS participants,
    pl.basis                                                                AS pumpurs_basis,
    pl.semesters                                                            AS pumpurs_semesters,
    round(100.0 * pl.iap_count / nullif(p.pupils, 0), 1)                    AS iap_per_100,
    round(100.0 * pl.participants / nullif(p.pupils, 0), 1)                 AS participants_per_100,
    f.staff_fte::DOUBLE                                                     AS staff_fte,
    CASE WHEN sp.all_known THEN round(100.0 * f.staff_fte / nullif(sp.staff_pupils, 0), 2) END AS staff_fte_per_100,
    list_distinct(flatten([coalesce(p.source, []::VARCHAR[]), coalesce(pl.source, []::VARCHAR[]), coalesce(f.source, []::VARCHAR[])])) AS source
FROM years y
JOIN chosen c ON c.code = y.municipality
LEFT JOIN pupils p USING (municipality, school_year)
LEFT JOIN plans pl USING (municipality, school_year)
LEFT JOIN staff f USING (municipality, school_year)
LEFT JOIN staff_pupils sp USING (municipality, school_year)
WHERE chosen($start_years::INTEGER[], y.start_year)
ORDER BY y.start_year, y.municipality
