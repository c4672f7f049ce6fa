SELECT code, name_lv, name_en, is_synthetic, plan_start, plan_end, target_year_1, target_year_2
FROM municipality
ORDER BY is_synthetic, name_lv
