-- Support-staff FTE per school, school year and role, for the school years in which the
-- municipality reported staff. Every school in scope that year (listed in enrolment or in
-- support_staff) gets one row per role, all six roles:
--   fte        NULL where the school does not list the role (not 0: the page says "not listed");
--   reporting  false for a school with no staff rows at all that year ("no data", not "below");
--   pupils     the school's enrolment total, NULL when missing (a size-scaled norm needs it).
-- The norm, the gaps and "meets the norm" are worked out in metrics/staffing.py.
WITH
staff AS (
    SELECT st.school_id, st.school_year, st.start_year, st.role, st.fte, st.source
    FROM support_staff st
    JOIN school s USING (school_id)
    WHERE s.municipality = $municipality
      AND chosen($years::VARCHAR[], st.school_year)
),
staff_years AS (
    SELECT DISTINCT school_year, start_year FROM staff
),
in_scope AS (
    SELECT e.school_id, e.school_year
    FROM enrolment_total e
    JOIN school s USING (school_id)
    JOIN staff_years USING (school_year)
    WHERE s.municipality = $municipality
    UNION
    SELECT school_id, school_year FROM staff
),
reports AS (
    SELECT school_id, school_year, list(DISTINCT source ORDER BY source) AS source
    FROM staff
    GROUP BY school_id, school_year
),
roles (role, role_order) AS (
    VALUES ('psychologist', 1), ('speech_therapist', 2), ('special_educator', 3),
           ('social_pedagogue', 4), ('career_counsellor', 5), ('teacher_assistant_nurse', 6)
)
SELECT
    i.school_id,
    s.name                                  AS school,
    i.school_year,
    y.start_year,
    r.role,
    st.fte::DOUBLE                          AS fte,
    rep.school_id IS NOT NULL               AS reporting,
    e.pupils::BIGINT                        AS pupils,
    -- the role's own row, else the school's staff report, else its enrolment (a school without staff rows)
    coalesce(CASE WHEN st.source IS NOT NULL THEN [st.source] END, rep.source, e.source) AS source,
    e.source                                AS pupils_source
FROM in_scope i
JOIN school s USING (school_id)
JOIN staff_years y USING (school_year)
CROSS JOIN roles r
LEFT JOIN staff st ON st.school_id = i.school_id AND st.school_year = i.school_year AND st.role = r.role
LEFT JOIN reports rep ON rep.school_id = i.school_id AND rep.school_year = i.school_year
LEFT JOIN enrolment_total e ON e.school_id = i.school_id AND e.school_year = i.school_year
WHERE chosen($schools::VARCHAR[], i.school_id)
ORDER BY y.start_year, s.name, r.role_order
