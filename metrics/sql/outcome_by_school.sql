-- Outcome figures per school and school year, one row per topic and breakdown (level, subject,
-- exam threshold). A count and its printed share (indicator X and X_pct) share a row, as do the
-- unexcused-absence figures that belong together. The rate is recomputed from the count and the
-- enrolment of the matching grades (grade 9, grade 12, the stage, or all pupils on 1 September).
-- A municipal figure (scope = the municipality code) is a row of its own with the enrolment of all
-- municipal schools as its base; it is never added to school rows and is left out when schools are
-- chosen. A cell the documents leave empty is NULL, never 0.
WITH
-- include: outcome_cells.sql
SELECT
    b.scope,
    b.is_municipal_figure,
    s.name                                                AS school,
    b.school_year,
    b.start_year,
    b.level,
    b.topic,
    b.subject,
    b.threshold,
    b.pupils,
    n.enrolled,
    CASE WHEN b.pupils IS NOT NULL AND n.enrolled > 0 THEN 100 * b.pupils / n.enrolled END AS rate_pct,
    b.printed_pct,
    coalesce(rate_pct, b.printed_pct)                     AS share_pct,
    CASE WHEN rate_pct IS NOT NULL THEN 'computed' WHEN b.printed_pct IS NOT NULL THEN 'printed' END AS share_basis,
    b.hours_per_pupil,
    b.max_hours_one_pupil,
    -- the enrolment is a source too wherever it made the rate
    list_sort(list_distinct(list_concat(
        b.outcome_sources, CASE WHEN b.pupils IS NOT NULL THEN n.enrolment_sources END))) AS source,
    b.note
FROM based b
LEFT JOIN enrolled n USING (scope, school_year, level, topic, subject, threshold)
LEFT JOIN school s ON s.school_id = b.scope
ORDER BY b.topic, b.level, b.subject, b.threshold, b.start_year, b.is_municipal_figure, s.name
