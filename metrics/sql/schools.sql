-- Schools of a municipality for the school filter (general-education schools first).
SELECT school_id, name, school_type, sector, is_municipal, merged_into, merged_year
FROM school
WHERE municipality = $municipality
ORDER BY sector <> 'general', name
