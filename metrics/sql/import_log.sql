-- The import log, newest first (for the Data page); `undone` marks imports already restored.
SELECT
    l.import_id, l.imported_at, l.imported_by, l.file_name, l.sha256, l.rows_json, l.result,
    EXISTS (SELECT 1 FROM import_log r WHERE r.undoes = l.import_id) AS undone
FROM import_log l
ORDER BY l.imported_at DESC, l.import_id DESC
