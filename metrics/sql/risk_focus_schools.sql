-- Identified PMP risks per 100 pupils, per school and school year: the basis of the
-- "focus schools" list (ranked in metrics/risks.py after small-number suppression).
--
-- identified = the school's four risk-group counts added up (a pupil with risks in two groups
-- counts in both, so this is an upper bound of the pupils at risk); it is known only when all four
-- groups have a count (a missing count is no data, never 0). enrolled = the school's enrolment
-- total on 1 September. Rows for the school year before each chosen year come along
-- (selected = false) so that last year's rank can be shown beside this year's.
WITH
reports AS (
    SELECT r.scope AS school_id, r.period AS school_year, r.start_year,
           count(*) = 4 AND count(r.pupils) = 4 AS complete,
           sum(r.pupils)                         AS pupils_sum,
           list(DISTINCT r.source ORDER BY r.source) AS source
    FROM risk r
    JOIN school s ON s.school_id = r.scope
    WHERE r.municipality = $municipality
      AND s.municipality = $municipality
      AND r.sub_risk = ''
      AND r.start_year = r.end_year
      AND chosen($schools::VARCHAR[], r.scope)
      AND chosen_any($start_years::INTEGER[], [r.start_year, r.start_year + 1])
    GROUP BY r.scope, r.period, r.start_year
)
SELECT
    r.school_id,
    s.name AS school,
    r.school_year,
    r.start_year,
    chosen($start_years::INTEGER[], r.start_year) AS selected,
    CASE WHEN r.complete THEN r.pupils_sum END::BIGINT                        AS identified,
    e.pupils::BIGINT                                                          AS enrolled,
    CASE WHEN r.complete THEN 100.0 * r.pupils_sum / nullif(e.pupils, 0) END AS per_100,
    -- the risk reports' sources, then the enrolment's where they are others
    list_concat(r.source, list_filter(coalesce(e.source, []), lambda x: NOT list_contains(r.source, x))) AS source
FROM reports r
JOIN school s USING (school_id)
LEFT JOIN enrolment_total e
       ON e.school_id = r.school_id AND e.school_year = r.school_year
ORDER BY r.start_year, per_100 DESC NULLS LAST, s.name
