-- Share of each of the four PMP risk groups among all identified risks, per period.
--
-- Where schools report pupil counts per group (the demo's yearly school reports) the share is
-- recomputed: the group's counts summed over the chosen schools / all groups' counts summed
-- (a ratio of sums, never a mean of school shares). A school-year takes part only if it gives a
-- count for all four groups: a missing count leaves its total unknown, and treating it as 0
-- would bend every share. Where only a printed municipal share exists (Ludza, Jēkabpils: the
-- Pumpurs tool over a multi-year period) that share is kept as printed. Every period gets a row
-- for each of the four groups, so a group the source leaves out shows as "no figure", never 0.
-- A group's count counts pupils with a risk in that group: a pupil with risks in two groups is
-- in both, so the sum over groups is "identified risks", not pupils.
WITH scoped AS (
    SELECT r.*, r.scope = r.municipality AS municipal
    FROM risk r
    WHERE r.municipality = $municipality
      AND r.sub_risk = ''
      AND chosen($schools::VARCHAR[], r.scope)
      AND chosen_any($start_years::INTEGER[], range(r.start_year, r.end_year + 1))
),
chosen AS (  -- per period: the schools' rows where there are any, else the municipal figure
    SELECT * FROM scoped s
    WHERE NOT s.municipal
       OR NOT EXISTS (SELECT 1 FROM scoped o WHERE o.period = s.period AND NOT o.municipal)
),
reports AS (  -- one report per scope and period: complete if all four groups have a count
    SELECT c.scope, c.period, c.municipal,
           count(*) = 4 AND count(c.pupils) = 4 AS complete,
           any_value(e.pupils) AS enrolled
    FROM chosen c
    LEFT JOIN enrolment_total e
           ON e.school_id = c.scope AND e.school_year = c.period
    GROUP BY c.scope, c.period, c.municipal
),
periods AS (
    SELECT period,
           count(*) FILTER (WHERE complete AND NOT municipal)     AS schools,
           count(*) FILTER (WHERE NOT complete AND NOT municipal) AS schools_incomplete,
           sum(enrolled) FILTER (WHERE complete)                  AS enrolled
    FROM reports
    GROUP BY period
),
texts AS (
    SELECT period,
           -- the Pumpurs tool's own assessment, as the population the source names says
           bool_or(population ILIKE 'Pumpurs%')                    AS pumpurs_tool,
           string_agg(DISTINCT population, '; ' ORDER BY population) AS population,
           list(DISTINCT source ORDER BY source)                     AS source
    FROM chosen
    GROUP BY period
),
cells AS (
    SELECT DISTINCT c.period, c.start_year, c.end_year, g.risk_group, g.group_order
    FROM chosen c
    CROSS JOIN (VALUES ('learning_school', 1), ('social_health', 2), ('family', 3), ('economic', 4))
        AS g(risk_group, group_order)
),
groups AS (
    SELECT c.period, c.risk_group,
           sum(c.pupils) FILTER (WHERE r.complete)                          AS pupils,
           sum(c.pupils) FILTER (WHERE r.complete AND r.enrolled IS NOT NULL) AS pupils_enrolled,
           CASE WHEN count(*) = 1 THEN any_value(c.share_pct) END::DOUBLE    AS stated_share,
           string_agg(DISTINCT c.note, '; ' ORDER BY c.note)                 AS note
    FROM chosen c
    JOIN reports r USING (scope, period)
    GROUP BY c.period, c.risk_group
),
joined AS (
    SELECT x.period, x.start_year, x.end_year, x.risk_group, x.group_order,
           g.pupils, g.pupils_enrolled, g.stated_share, p.schools, p.schools_incomplete, p.enrolled,
           sum(g.pupils) OVER w          AS identified,
           sum(g.pupils_enrolled) OVER w AS identified_enrolled,
           sum(g.stated_share) OVER w    AS stated_sum,
           t.pumpurs_tool, t.population, g.note, t.source
    FROM cells x
    LEFT JOIN groups g USING (period, risk_group)
    JOIN periods p USING (period)
    JOIN texts t USING (period)
    WINDOW w AS (PARTITION BY x.period)
)
SELECT
    period, start_year, end_year, risk_group, group_order,
    pupils::BIGINT                                                  AS pupils,
    identified::BIGINT                                              AS identified,
    enrolled::BIGINT                                                AS enrolled,
    CASE WHEN identified > 0 THEN 100.0 * pupils / identified ELSE stated_share END AS share_pct,
    CASE WHEN identified > 0 THEN 'counts' WHEN stated_share IS NOT NULL THEN 'stated' END AS share_basis,
    100.0 * pupils_enrolled / nullif(enrolled, 0)                  AS per_100,
    100.0 * identified_enrolled / nullif(enrolled, 0)              AS identified_per_100,
    stated_sum, schools, schools_incomplete, pumpurs_tool,
    population, note, source
FROM joined
ORDER BY start_year, end_year, group_order
