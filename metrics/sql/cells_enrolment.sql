-- Disclosure control (metrics/disclosure.py): each school's pupils in a school year as a cell, with
-- whether it is a municipal school (the comparison page adds those up) and whether the school's PMP
-- risk report of that year is complete (the Risks page adds up the enrolment of those schools).
WITH reports AS (
    SELECT scope AS school_id, period AS school_year
    FROM risk
    WHERE municipality = $municipality AND sub_risk = ''
    GROUP BY ALL
    HAVING count(*) = 4 AND count(pupils) = 4
)
SELECT
    e.school_id,
    s.is_municipal,
    e.school_year,
    e.start_year,
    e.start_year                    AS end_year,
    e.pupils::DOUBLE                AS pupils,
    r.school_id IS NOT NULL         AS risk_complete
FROM enrolment_total e
JOIN school s USING (school_id)
LEFT JOIN reports r ON r.school_id = e.school_id AND r.school_year = e.school_year
WHERE s.municipality = $municipality AND e.pupils IS NOT NULL
ORDER BY e.start_year, e.school_id
