/** Accounts infrastructure: the store, credentials, `ctx.accounts`, the admin functions and login. */
import type { KvStore } from '../store/types.js';
import { CredentialStore } from './credentials.js';
import { AccountStore } from './store.js';
import type { AccountsHandle } from './admin.js';
import { credentialsFile } from './paths.js';

export { checkCredentials, type CredentialsCheck } from './check.js';
export { checkAccounts, type AccountCheckRow, type CheckAccountsRequest } from './check-accounts.js';
export { credentialsFile } from './paths.js';
export { createAccountsApi, type AccountsApiOptions, type ApprovalHold } from './api.js';
export { releaseSlots } from './slots.js';
export { addAccount, findAccountType, listAccounts, removeAccount, setDisabled, showAccount, type AccountRow, type AccountsHandle, type AddRequest } from './admin.js';
export { CredentialStore, type CredentialsStatus } from './credentials.js';
export { fieldsOf, parsePairs, type FieldInfo } from './fields.js';
export { loginAccount, openProfileForLogin, type LoginRequest, type ProfileLoginOptions } from './login.js';
export { AccountStore, ACCOUNTS_NS, checkAccountName, utcDay, type AccountView, type StoredAccount } from './store.js';

/** The project's accounts: the store in the state database and the credentials file beside it. */
export function openAccounts(o: { root: string; kv: KvStore; masterKey?: string }): AccountsHandle {
  return { store: new AccountStore(o.kv, o.root), credentials: new CredentialStore(credentialsFile(o.root), o.masterKey || undefined) };
}
