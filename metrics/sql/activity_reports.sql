-- The yearly implementation reports (fields of the school/Education Board report form, annex 1):
-- what was done, how many took part, impact against the goal, factors that helped or hindered.
SELECT
    r.municipality,
    r.activity_no,
    a.prevention_level,
    a.goal_no,
    a.activity_lv,
    a.activity_en,
    r.year,
    r.status,
    r.participants::BIGINT        AS participants,
    r.done_text,
    r.impact_text,
    r.factors_text,
    [r.source]                    AS source
FROM activity_report r
JOIN activity a ON a.municipality = r.municipality AND a.activity_no = r.activity_no
WHERE r.municipality = $municipality
ORDER BY a.goal_no, CAST(split_part(r.activity_no, '.', 2) AS INTEGER), r.year
