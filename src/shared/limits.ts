/** Limits that more than one layer reads: one definition each. */

/** Characters one tool answer may take (summary and data), unless --budget-chars says otherwise. */
export const DEFAULT_BUDGET_CHARS = 24_000;
