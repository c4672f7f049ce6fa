-- Disclosure control (metrics/disclosure.py): the Pumpurs rows as cells, one per school, period and
-- semester, with the school the merged view rolls it into (as pumpurs_school_semesters.sql does) and
-- whether the school reports pupils at PMP risk that school year (pumpurs_risk_link.sql pairs those).
WITH RECURSIVE
-- include: merge_roots.sql
at_risk AS (
    SELECT DISTINCT scope AS school_id, start_year
    FROM risk
    WHERE municipality = $municipality AND sub_risk = '' AND start_year = end_year AND pupils IS NOT NULL
)
SELECT
    p.school_id,
    r.root,
    s.is_municipal,
    p.period,
    p.semester,
    p.start_year,
    p.end_year,
    p.start_year = p.end_year                       AS one_year,
    p.iap_count::DOUBLE                             AS iap_count,
    p.participants::DOUBLE                          AS participants,
    k.school_id IS NOT NULL AND p.iap_count IS NOT NULL AS with_risk
FROM pumpurs p
JOIN school s USING (school_id)
JOIN roots r USING (school_id)
LEFT JOIN at_risk k ON k.school_id = p.school_id AND k.start_year = p.start_year AND p.start_year = p.end_year
WHERE s.municipality = $municipality
ORDER BY p.start_year, p.end_year, p.semester, p.school_id
