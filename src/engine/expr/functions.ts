/** The one table of callable functions; nothing else in an expression can be called. */
import { ACCOUNT_FUNCTIONS } from './fn-accounts.js';
import { DATA_FUNCTIONS } from './fn-data.js';
import { DATE_FUNCTIONS } from './fn-date.js';
import { LIST_FUNCTIONS } from './fn-lists.js';
import { TEXT_FUNCTIONS } from './fn-text.js';
import type { FnDef } from './types.js';

// a Map, so names such as `constructor` or `toString` are never found on a prototype
export const FUNCTIONS: ReadonlyMap<string, FnDef> = new Map(
  Object.entries({ ...TEXT_FUNCTIONS, ...DATA_FUNCTIONS, ...DATE_FUNCTIONS, ...LIST_FUNCTIONS, ...ACCOUNT_FUNCTIONS }),
);

export const FUNCTION_NAMES: readonly string[] = [...FUNCTIONS.keys()].sort();
