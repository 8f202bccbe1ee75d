/** What the `accounts` commands share: opening the project's accounts, the plugins' account types, terminal prompts. */
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import type { Project } from '../../../engine/project.js';
import type { AccountsHandle, FieldInfo } from '../../../infra/accounts/index.js';
import type { AccountType } from '../../../plugin/types.js';

export interface AccountsCli {
  project: Project;
  accounts: AccountsHandle;
}

export async function accountsOf(project: Project): Promise<AccountsHandle> {
  const { openAccounts } = await import('../../../infra/accounts/index.js');
  return openAccounts({ root: project.root, kv: project.state().kv, masterKey: project.config.secrets.MPV2_MASTER_KEY });
}

/** Every account type the loaded plugins declare, with the namespace whose config section it uses. */
export async function accountTypes(project: Project): Promise<Array<{ type: AccountType; namespace: string }>> {
  await project.registry.loadAll();
  const out: Array<{ type: AccountType; namespace: string }> = [];
  for (const p of project.registry.all()) {
    for (const type of p.def.accountTypes ?? []) {
      if (!out.some((x) => x.type.platform === type.platform)) out.push({ type, namespace: p.def.id.split('.')[0]! });
    }
  }
  return out;
}

export const isInteractive = (): boolean => Boolean(process.stdin.isTTY && process.stderr.isTTY);

/** Asks one question on the terminal (stderr), without echo for secrets. */
export function ask(question: string, o: { secret?: boolean } = {}): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk, _enc, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  return new Promise((resolve) => {
    rl.question(question, (answer) => {
      rl.close();
      if (o.secret) process.stderr.write('\n');
      resolve(answer);
    });
    muted = o.secret === true;
  });
}

export function askField(platform: string) {
  return async (f: FieldInfo): Promise<string> => {
    const about = [f.description, f.enum && `one of ${f.enum.map((x) => JSON.stringify(x)).join(', ')}`].filter(Boolean).join('; ');
    for (;;) {
      const v = await ask(`${platform} ${f.key}${f.secret ? ' (hidden)' : ''}${about ? ` — ${about}` : ''}: `, { secret: f.secret });
      if (v.trim() !== '') return v;
    }
  };
}

export async function confirm(question: string): Promise<boolean> {
  return /^y(es)?$/i.test((await ask(`${question} [y/N] `)).trim());
}
