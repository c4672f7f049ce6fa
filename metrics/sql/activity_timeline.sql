-- One row per activity and year in which the plan runs it or a yearly report exists, with the
-- report's status (NULL where no report has been filed yet: not "not done"). Participant counts
-- come only through the suppressed metric `activity_participants`.
SELECT
    coalesce(y.municipality, r.municipality)         AS municipality,
    coalesce(y.activity_no, r.activity_no)           AS activity_no,
    coalesce(y.year, r.year)                         AS year,
    y.active                                         AS planned,
    r.status,
    [coalesce(r.source, y.source)]                   AS source
FROM (SELECT * FROM activity_year WHERE municipality = $municipality AND active) y
FULL OUTER JOIN (SELECT * FROM activity_report WHERE municipality = $municipality) r
    ON r.activity_no = y.activity_no AND r.year = y.year
ORDER BY activity_no, year
