-- The prevention activities of a municipality's programme: level, goal, activity, responsible and
-- involved institutions (Latvian free text), funding, and the years the plan runs each activity
-- (an empty list where the document gives none).
SELECT
    a.municipality,
    a.activity_no,
    a.prevention_level,
    a.goal_no,
    a.goal_lv,
    a.goal_en,
    a.activity_lv,
    a.activity_en,
    a.expected_result_lv,
    a.responsible_lv,
    a.involved_lv,
    a.funding_source_lv,
    a.funding_source_en,
    a.invested_funding_eur::DOUBLE AS invested_funding_eur,
    coalesce((SELECT list(y.year ORDER BY y.year) FROM activity_year y
              WHERE y.municipality = a.municipality AND y.activity_no = a.activity_no AND y.active),
             []::INTEGER[])                                      AS years,
    [a.source]                                                   AS source
FROM activity a
WHERE a.municipality = $municipality
ORDER BY a.goal_no, CAST(split_part(a.activity_no, '.', 2) AS INTEGER)
