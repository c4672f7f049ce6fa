-- Disclosure control (metrics/disclosure.py): each outcome count of pupils as a cell, per scope (a
-- school, or the municipality for a printed municipal figure), school year, level, topic (as
-- outcome_cells.sql names it), subject and exam threshold.
SELECT
    o.scope,
    o.scope = o.municipality                        AS municipal,
    o.scope                                         AS school_id,
    o.school_year,
    o.start_year,
    o.start_year                                    AS end_year,
    o.level,
    regexp_replace(o.indicator, '_pct$', '')        AS topic,
    o.subject,
    o.threshold,
    o.value::DOUBLE                                 AS pupils
FROM outcome o
WHERE o.municipality = $municipality AND o.unit = 'pupils'
ORDER BY o.school_year, topic, o.level, o.subject, o.threshold, o.scope
