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
    UNION ALL  -- a municipality's own figures (not split by school) for a single school year
    SELECT t.period, CAST(left(t.period, 4) AS INTEGER) FROM stated_total t
    WHERE t.municipality = $municipality AND length(t.period) = 9
)
ORDER BY start_year
