/** Per-column Gower contribution kinds shared by the neighbour search modules. */
/** |a − b| / range, capped at 1. */
export const NUMERIC = 0;
/** 0 when equal, else 1 (categories, and numeric columns with zero range). */
export const EXACT = 1;
