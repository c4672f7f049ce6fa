-- School years that have any data for the municipality, for the year filter.
SELECT DISTINCT school_year, start_year FROM (
    SELECT e.school_year, e.start_year FROM enrolment e JOIN school s USING (school_id)
    WHERE s.municipality = $municipality
    UNION ALL
    SELECT st.school_year, st.start_year FROM support_staff st JOIN school s USING (school_id)
    WHERE s.municipality = $municipality
    UNION ALL
    SELECT p.period, p.start_year FROM pumpurs p JOIN school s USING (school_id)
    WHERE s.municipality = $municipality AND p.start_year = p.end_year
    UNION ALL
    SELECT o.school_year, o.start_year FROM outcome o WHERE o.municipality = $municipality
)
ORDER BY start_year
