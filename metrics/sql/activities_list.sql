-- Activities of a municipality's action plan active in a year (rows of the annex 1 template).
SELECT a.activity_no, a.activity_lv
FROM activity a
JOIN activity_year y USING (municipality, activity_no)
WHERE a.municipality = $municipality AND y.year = $year AND y.active
ORDER BY string_split(a.activity_no, '.')[1]::INTEGER, string_split(a.activity_no, '.')[2]::INTEGER
