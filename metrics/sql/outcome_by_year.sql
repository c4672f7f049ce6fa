-- Outcome figures per school year for the chosen municipality, schools and years: one row per
-- topic and breakdown (level, subject, exam threshold); $topic = '' gives every topic.
-- The headline count is the municipal figure where the document prints one (it covers every
-- school), otherwise the sum of the schools that report; the two are never added together, and
-- both are returned so the page can show the one as a check on the other. Rates are recomputed
-- as sum(count) / sum(enrolment) over the same schools, never as an average of school rates;
-- hours per pupil likewise as total hours / total pupils. A printed share whose base is unknown
-- is returned apart (printed_pct) and used only where no rate can be computed (share_basis).
WITH
-- include: outcome_cells.sql
,
cell AS (
    SELECT
        b.*,
        n.enrolled,
        n.enrolment_sources,
        -- the pupils an average of hours is over: the listed pupils, or everyone enrolled
        CASE WHEN b.topic = 'pupils_with_unexcused_absences' THEN b.pupils ELSE n.enrolled END AS weight
    FROM based b
    LEFT JOIN enrolled n USING (scope, school_year, level, topic, subject, threshold)
    WHERE $topic = '' OR b.topic = $topic
),
-- the schools that have pupils in the grades of a row's base: all of them reporting = complete
expected AS (
    SELECT k.school_year, k.level, k.topic, k.subject, k.threshold, count(DISTINCT e.school_id) AS schools_enrolled
    FROM (SELECT DISTINCT school_year, level, topic, subject, threshold, bands FROM cell) k
    JOIN enrolment e ON e.school_year = k.school_year AND list_contains(k.bands, e.grade_band) AND e.pupils > 0
    JOIN school s ON s.school_id = e.school_id
    WHERE s.municipality = $municipality
      AND s.is_municipal
      AND chosen($schools::VARCHAR[], e.school_id)
    GROUP BY ALL
),
per_year AS (
    SELECT
        school_year,
        start_year,
        level,
        topic,
        subject,
        threshold,
        count(*) FILTER (WHERE NOT is_municipal_figure)                                   AS schools_reporting,
        sum(pupils) FILTER (WHERE NOT is_municipal_figure)                                AS school_pupils,
        sum(pupils) FILTER (WHERE NOT is_municipal_figure AND enrolled > 0)               AS rate_pupils,
        sum(enrolled) FILTER (WHERE NOT is_municipal_figure AND pupils IS NOT NULL)       AS rate_enrolled,
        count(*) FILTER (WHERE NOT is_municipal_figure AND pupils IS NOT NULL AND enrolled > 0) AS rate_schools,
        sum(hours_per_pupil * weight) FILTER (WHERE NOT is_municipal_figure AND weight > 0)
            / sum(weight) FILTER (WHERE NOT is_municipal_figure AND hours_per_pupil IS NOT NULL AND weight > 0)
                                                                                          AS school_hours,
        count(hours_per_pupil) FILTER (WHERE NOT is_municipal_figure)                     AS schools_with_hours,
        max(hours_per_pupil) FILTER (WHERE NOT is_municipal_figure)                       AS one_school_hours,
        count(printed_pct) FILTER (WHERE NOT is_municipal_figure)                         AS schools_with_printed,
        max(printed_pct) FILTER (WHERE NOT is_municipal_figure)                           AS one_school_printed,
        max(pupils) FILTER (WHERE is_municipal_figure)                                    AS municipal_pupils,
        max(enrolled) FILTER (WHERE is_municipal_figure)                                  AS municipal_enrolled,
        max(printed_pct) FILTER (WHERE is_municipal_figure)                               AS municipal_printed_pct,
        max(hours_per_pupil) FILTER (WHERE is_municipal_figure)                           AS municipal_hours,
        max(max_hours_one_pupil)                                                          AS max_hours_one_pupil,
        flatten(list(outcome_sources))                                                    AS outcome_sources,
        flatten(list(enrolment_sources) FILTER (
            WHERE enrolled > 0 AND (pupils IS NOT NULL OR hours_per_pupil IS NOT NULL)))  AS enrolment_sources,
        string_agg(DISTINCT note, '; ' ORDER BY note)                                     AS note
    FROM cell
    GROUP BY ALL
),
headline AS (
    SELECT
        p.*,
        CASE WHEN municipal_pupils IS NOT NULL THEN 'municipality'
             WHEN school_pupils IS NOT NULL THEN 'schools' END                            AS basis,
        coalesce(municipal_pupils, school_pupils)                                         AS pupils,
        CASE WHEN municipal_pupils IS NOT NULL THEN municipal_enrolled
             WHEN rate_pupils IS NOT NULL THEN rate_enrolled END                          AS enrolled,
        CASE WHEN municipal_pupils IS NOT NULL
                 THEN CASE WHEN municipal_enrolled > 0 THEN 100 * municipal_pupils / municipal_enrolled END
             WHEN rate_enrolled > 0 THEN 100 * rate_pupils / rate_enrolled END            AS rate_pct,
        coalesce(municipal_printed_pct, CASE WHEN schools_with_printed = 1 THEN one_school_printed END)
                                                                                          AS printed_pct,
        CASE WHEN municipal_hours IS NOT NULL THEN 'municipality'
             WHEN school_hours IS NOT NULL OR schools_with_hours = 1 THEN 'schools' END   AS hours_basis,
        coalesce(municipal_hours, school_hours, CASE WHEN schools_with_hours = 1 THEN one_school_hours END)
                                                                                          AS hours_per_pupil
    FROM per_year p
)
SELECT
    h.school_year,
    h.start_year,
    h.level,
    h.topic,
    h.subject,
    h.threshold,
    h.basis,
    h.pupils,
    h.enrolled,
    h.rate_pct,
    h.printed_pct,
    coalesce(h.rate_pct, h.printed_pct)                                                   AS share_pct,
    CASE WHEN h.rate_pct IS NOT NULL THEN 'computed'
         WHEN h.printed_pct IS NOT NULL THEN 'printed' END                                AS share_basis,
    h.hours_per_pupil,
    h.hours_basis,
    h.max_hours_one_pupil,
    h.school_pupils,
    h.schools_reporting,
    h.rate_schools,
    h.municipal_pupils,
    es.schools_enrolled,
    list_sort(list_distinct(list_concat(h.outcome_sources, h.enrolment_sources)))         AS source,
    h.note
FROM headline h
LEFT JOIN expected es USING (school_year, level, topic, subject, threshold)
ORDER BY h.topic, h.level, h.subject, h.threshold, h.start_year
