-- Sub-risks within each PMP risk group, per period: the share of the group's identified risks.
--
-- From pupil counts (the demo's school reports) the share is the sub-risk's counts summed over
-- the chosen schools / all the group's sub-risk counts summed (a ratio of sums). A school's
-- breakdown of a group takes part only if every sub-risk it names has a count. Printed shares
-- (Ludza) are kept as printed. A sub-risk the source names without a figure (Jēkabpils) keeps
-- its row with no count and no share: "named, share not given", never 0.
WITH scoped AS (
    SELECT r.*, r.scope = r.municipality AS municipal
    FROM risk r
    WHERE r.municipality = $municipality
      AND r.sub_risk <> ''
      AND chosen($schools::VARCHAR[], r.scope)
      AND chosen_any($start_years::INTEGER[], range(r.start_year, r.end_year + 1))
),
chosen AS (  -- per period: the schools' rows where there are any, else the municipal figure
    SELECT *,
           count(pupils) OVER (PARTITION BY scope, period, risk_group)
               = count(*) OVER (PARTITION BY scope, period, risk_group) AS complete
    FROM scoped s
    WHERE NOT s.municipal
       OR NOT EXISTS (SELECT 1 FROM scoped o WHERE o.period = s.period AND NOT o.municipal)
),
subs AS (
    SELECT period, start_year, end_year, risk_group, sub_risk,
           sum(pupils) FILTER (WHERE complete)                          AS pupils,
           CASE WHEN count(*) = 1 THEN any_value(share_pct) END::DOUBLE AS stated_share,
           string_agg(DISTINCT note, '; ' ORDER BY note)                AS note,
           list(DISTINCT source ORDER BY source)                        AS source
    FROM chosen
    GROUP BY period, start_year, end_year, risk_group, sub_risk
)
SELECT
    period, start_year, end_year, risk_group, sub_risk,
    list_position(['learning_school', 'social_health', 'family', 'economic'], risk_group) AS group_order,
    list_position(['content_difficulty', 'lag_previous_stage', 'low_achievement', 'language_barrier',
                   'peer_conflicts', 'parents_not_supporting', 'long_absence', 'health',
                   'social_environment', 'low_income', 'other'], sub_risk)                AS sub_order,
    pupils::BIGINT AS pupils,
    CASE WHEN sum(pupils) OVER w > 0 THEN 100.0 * pupils / sum(pupils) OVER w ELSE stated_share END AS share_pct,
    CASE WHEN sum(pupils) OVER w > 0 THEN 'counts' WHEN stated_share IS NOT NULL THEN 'stated' END AS share_basis,
    note, source
FROM subs
WINDOW w AS (PARTITION BY period, risk_group)
ORDER BY start_year, end_year, group_order, sub_order
