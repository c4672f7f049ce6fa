-- Disclosure control (metrics/disclosure.py): each school's PMP risk counts as cells, per period,
-- risk group and sub-risk ('' for the group's own count), with the completeness rules of
-- risk_groups.sql (a report counts only with all four groups counted), risk_sub_risks.sql (a group's
-- sub-risks count only when each has a count) and whether the school reports Pumpurs plans that
-- school year (pumpurs_risk_link.sql pairs those).
WITH rows AS (
    SELECT r.scope AS school_id, r.period, r.start_year, r.end_year, r.risk_group, r.sub_risk, r.pupils
    FROM risk r
    JOIN school s ON s.school_id = r.scope
    WHERE r.municipality = $municipality AND s.municipality = $municipality
),
reports AS (
    SELECT school_id, period, count(*) = 4 AND count(pupils) = 4 AS complete_report
    FROM rows WHERE sub_risk = '' GROUP BY ALL
),
breakdowns AS (
    SELECT school_id, period, risk_group, count(pupils) = count(*) AS complete_subs
    FROM rows WHERE sub_risk <> '' GROUP BY ALL
),
plans AS (
    SELECT DISTINCT p.school_id, p.start_year
    FROM pumpurs p JOIN school s USING (school_id)
    WHERE s.municipality = $municipality AND s.is_municipal AND p.start_year = p.end_year
      AND p.iap_count IS NOT NULL
)
SELECT
    r.school_id,
    r.period,
    r.period                                        AS school_year,
    r.start_year,
    r.end_year,
    r.start_year = r.end_year                       AS one_year,
    r.risk_group,
    r.sub_risk,
    r.pupils::DOUBLE                                AS pupils,
    coalesce(rep.complete_report, false)            AS complete_report,
    coalesce(b.complete_subs, false)                AS complete_subs,
    p.school_id IS NOT NULL AND r.start_year = r.end_year AS with_plans
FROM rows r
LEFT JOIN reports rep USING (school_id, period)
LEFT JOIN breakdowns b USING (school_id, period, risk_group)
LEFT JOIN plans p ON p.school_id = r.school_id AND p.start_year = r.start_year
ORDER BY r.start_year, r.end_year, r.school_id, r.risk_group, r.sub_risk
