-- Outcome figures per school and school year, one row per topic and breakdown (level, subject,
-- exam threshold). A count and its printed share (indicator X and X_pct) share a row, as do the
-- unexcused-absence figures that belong together. The rate is recomputed from the count and the
-- enrolment of the matching grades (grade 9, grade 12, the stage, or all pupils on 1 September).
-- A municipal figure (scope = the municipality code) is a row of its own with the enrolment of all
-- municipal schools as its base; it is never added to school rows and is left out when schools are
-- chosen. A cell the documents leave empty is NULL, never 0.
WITH cells AS (
    SELECT
        o.scope,
        o.scope = o.municipality                          AS is_municipal_figure,
        o.school_year,
        o.start_year,
        o.level,
        CASE
            WHEN o.indicator = 'avg_unexcused_hours_of_those' THEN 'pupils_with_unexcused_absences'
            WHEN o.indicator = 'max_unexcused_hours_one_pupil' THEN 'unexcused_hours_per_pupil'
            ELSE regexp_replace(o.indicator, '_pct$', '')
        END                                               AS topic,
        o.subject,
        o.threshold,
        max(o.value) FILTER (WHERE o.unit = 'pupils')::DOUBLE          AS pupils,
        max(o.value) FILTER (WHERE o.unit = 'pct')::DOUBLE             AS printed_pct,
        max(o.value) FILTER (WHERE o.unit = 'hours_per_pupil')::DOUBLE AS hours_per_pupil,
        max(o.value) FILTER (WHERE o.unit = 'hours')::DOUBLE           AS max_hours_one_pupil,
        list(DISTINCT o.source)                                         AS outcome_sources,
        string_agg(DISTINCT o.note, '; ' ORDER BY o.note)               AS note
    FROM outcome o
    WHERE o.municipality = $municipality
      AND (len($schools::VARCHAR[]) = 0 OR list_contains($schools::VARCHAR[], o.scope))
      AND (len($years::VARCHAR[]) = 0 OR list_contains($years::VARCHAR[], o.school_year))
    GROUP BY ALL
),
based AS (
    SELECT
        *,
        CASE
            WHEN topic = 'grade9_without_certificate' OR (topic = 'low_exam_result' AND level = 'basic') THEN ['9']
            WHEN topic = 'grade12_without_certificate' OR (topic = 'low_exam_result' AND level = 'secondary')
                THEN ['12']
            WHEN level = 'basic' THEN ['1-3', '4', '5', '6', '7', '8', '9']
            WHEN level = 'secondary' THEN ['10', '11', '12']
            ELSE ['total']
        END                                               AS bands
    FROM cells
),
enrolled AS (
    SELECT
        b.scope, b.school_year, b.level, b.topic, b.subject, b.threshold,
        sum(e.pupils)::DOUBLE                              AS enrolled,
        list(DISTINCT e.source)                            AS enrolment_sources
    FROM based b
    JOIN enrolment e
        ON e.school_year = b.school_year AND list_contains(b.bands, e.grade_band) AND e.pupils IS NOT NULL
    JOIN school s ON s.school_id = e.school_id
    WHERE s.municipality = $municipality
      AND (e.school_id = b.scope OR (b.is_municipal_figure AND s.is_municipal))
    GROUP BY ALL
)
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
    -- the enrolment is a source too wherever it made the rate; the list form lets a page merge rows' sources
    list_sort(list_distinct(list_concat(
        b.outcome_sources, CASE WHEN b.pupils IS NOT NULL THEN n.enrolment_sources END))) AS sources,
    array_to_string(sources, '; ')                        AS source,
    b.note
FROM based b
LEFT JOIN enrolled n USING (scope, school_year, level, topic, subject, threshold)
LEFT JOIN school s ON s.school_id = b.scope
ORDER BY b.topic, b.level, b.subject, b.threshold, b.start_year, b.is_municipal_figure, s.name
