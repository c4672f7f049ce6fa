-- Shared by outcome_by_school.sql and outcome_by_year.sql, which include it after WITH
-- ("-- include: outcome_cells.sql", expanded by metrics/query.py). cells: one row per scope (a school
-- or the municipal figure), school year, topic and breakdown, with the count, the printed share and the
-- absence figures side by side; based: the grade bands of each row's rate base; enrolled: the
-- enrolment of those bands in the same scope (all municipal schools for a municipal figure).
cells AS (
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
      AND chosen($schools::VARCHAR[], o.scope)
      AND chosen($years::VARCHAR[], o.school_year)
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
