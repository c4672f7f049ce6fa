-- Shared by the metrics that cite an enrolment total, which include it after WITH
-- ("-- include: enrolment_listed.sql", expanded by metrics/query.py). enrolment_listed: the rows of the
-- enrolment_total view for the municipality's schools, with `source` as a list. The view gives a
-- total's sources joined into one text with "; ", which cannot be split again (a source may hold
-- "; " itself), so they are listed here from the rows the total is made of: the grade bands where
-- it is their sum (from_bands), else the `total` row as reported.
enrolment_listed AS (
    SELECT
        t.* EXCLUDE (source),
        list(DISTINCT e.source ORDER BY e.source) FILTER (WHERE (e.grade_band = 'total') <> t.from_bands) AS source
    FROM enrolment_total t
    JOIN school s ON s.school_id = t.school_id
    JOIN enrolment e ON e.school_id = t.school_id AND e.school_year = t.school_year
    WHERE s.municipality = $municipality
    GROUP BY ALL
)
