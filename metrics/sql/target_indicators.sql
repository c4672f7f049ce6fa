-- The policy result indicators of a municipality's programme: wording, unit, desired trend,
-- baseline (NULL where the document says "to be set"), data source and the dashboard metric
-- that can recompute it from school data (metric_id, NULL where none can).
SELECT
    i.municipality,
    i.indicator_no,
    i.breakdown,
    i.prevention_level,
    i.name_lv,
    i.name_en,
    i.unit,
    i.desired_trend,
    i.baseline_value::DOUBLE      AS baseline_value,
    i.baseline_year,
    i.baseline_text,
    i.data_source_lv,
    i.data_source_en,
    i.ikms_code,
    i.metric_id,
    [i.source]                    AS source,
    i.note
FROM indicator i
WHERE i.municipality = $municipality
ORDER BY
    list_position(['universal', 'targeted', 'tailored'], i.prevention_level),
    i.indicator_no,
    list_position(['', 'basic', 'secondary', 'extramural'], i.breakdown)
