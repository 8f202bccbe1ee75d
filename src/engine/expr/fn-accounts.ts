/**
 * `accounts(platform)`: the names of the project's enabled accounts of a platform. The core
 * names no platform: the list comes from the run's snapshot of the accounts store
 * (`Scope.accounts`), taken once per run and kept with it, so a resumed run sees the same list.
 */
import { EvalFailure } from './fail.js';
import { str } from './args.js';
import { didYouMean } from './suggest.js';
import type { FnDef } from './types.js';

export const ACCOUNT_FUNCTIONS: Record<string, FnDef> = {
  accounts: {
    signature: 'accounts(platform)', min: 1, max: 1,
    run(a, scope) {
      const platform = str('accounts', a, 0);
      const known = scope.accounts;
      if (!known) throw new EvalFailure('accounts() is only available while a pipeline runs');
      if (!Object.hasOwn(known, platform)) {
        const names = Object.keys(known).sort();
        throw new EvalFailure(`accounts() got the unknown platform '${platform}'${didYouMean(platform, names)}; known platforms: ${names.join(', ') || 'none'}`,
          'platforms come from plugins (`accountTypes`, `mpv2 plugins list`) and the accounts store (`mpv2 accounts list`)');
      }
      return [...known[platform]!];
    },
  },
};
