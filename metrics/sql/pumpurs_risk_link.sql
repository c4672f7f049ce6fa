-- Pumpurs plans against the pupils at PMP risk, per school year: plans (both semesters) per 100
-- pupils at risk, and the pupils at risk in each risk group. Only schools that report both the
-- plans and pupils at risk for the year are counted on either side, and the rate is recomputed
-- from the sums (never an average of school rates). Needs per-school counts of pupils at risk;
-- where a programme gives only municipal shares of risk groups there are no rows.
WITH plans AS (
    SELECT p.school_id, p.start_year, sum(p.iap_count) AS iap_count,
           list(DISTINCT p.source ORDER BY p.source) AS source
    FROM pumpurs p
    JOIN school s USING (school_id)
    WHERE s.municipality = $municipality
      AND s.is_municipal
      AND p.start_year = p.end_year
      AND p.iap_count IS NOT NULL
      AND chosen($schools::VARCHAR[], p.school_id)
      AND chosen($start_years::INTEGER[], p.start_year)
    GROUP BY ALL
),
at_risk AS (
    SELECT r.scope AS school_id, r.start_year, r.risk_group, r.pupils, r.source
    FROM risk r
    WHERE r.municipality = $municipality
      AND r.sub_risk = ''
      AND r.start_year = r.end_year
      AND r.pupils IS NOT NULL
),
matched AS (
    SELECT a.*, p.iap_count, p.source AS plan_source
    FROM at_risk a JOIN plans p USING (school_id, start_year)
),
per_school AS (
    SELECT school_id, start_year, any_value(iap_count) AS iap_count, sum(pupils) AS pupils,
           list_sort(list_distinct(list_concat(list(source), any_value(plan_source)))) AS source
    FROM matched GROUP BY ALL
)
SELECT
    start_year || '/' || (start_year + 1) AS school_year,
    start_year,
    'all' AS risk_group,
    sum(iap_count)::BIGINT AS iap_count,
    sum(pupils)::BIGINT AS pupils_at_risk,
    round(100.0 * sum(iap_count) / nullif(sum(pupils), 0), 1) AS plans_per_100,
    count(*) AS schools,
    list_sort(list_distinct(flatten(list(source)))) AS source
FROM per_school GROUP BY ALL
UNION ALL
SELECT
    start_year || '/' || (start_year + 1),
    start_year,
    risk_group,
    NULL,
    sum(pupils)::BIGINT,
    NULL,
    count(*),
    list(DISTINCT source ORDER BY source)
FROM matched GROUP BY ALL
ORDER BY start_year, risk_group = 'all' DESC, pupils_at_risk DESC
