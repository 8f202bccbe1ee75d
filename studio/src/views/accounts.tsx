/** Accounts: platform, health and today's acts against the daily cap. Secrets are never sent, so never shown. */
import { api, type Account } from '../api.js';
import { ErrorBox, Loading, Status, formatTime, useLoad, useTitle } from '../ui.js';

function health(a: Account): string {
  if (a.disabled) return 'disabled';
  if (a.maxPerDay !== undefined && (a.usesToday ?? 0) >= a.maxPerDay) return 'capped';
  return a.health ?? 'ok';
}

export function Accounts() {
  useTitle('Accounts');
  const list = useLoad(() => api.accounts(), []);
  return (
    <section>
      <h1>Accounts</h1>
      {list.loading && !list.data && <Loading what="accounts" />}
      {list.error !== undefined && <ErrorBox error={list.error} />}
      {list.data?.length === 0 && <p>No accounts. Add one with <code>mpv2 accounts add &lt;platform&gt; --name &lt;name&gt;</code>.</p>}
      {list.data && list.data.length > 0 && (
        <div class="table-wrap">
          <table>
            <thead><tr><th scope="col">Name</th><th scope="col">Platform</th><th scope="col">Health</th><th scope="col">Today / cap</th><th scope="col">Last use</th></tr></thead>
            <tbody>
              {list.data.map((a) => {
                const cap = a.maxPerDay ?? Infinity;
                return (
                  <tr key={`${a.platform}/${a.name}`}>
                    <td>{a.name}{a.niche ? <span class="muted"> · {a.niche}</span> : null}</td>
                    <td>{a.platform}</td>
                    <td><Status status={health(a)} />{a.hasCredentials === false && <span class="muted"> no credentials stored</span>}</td>
                    <td>
                      {a.usesToday ?? 0} / {a.maxPerDay ?? '∞'}
                      {Number.isFinite(cap) && <meter min={0} max={cap} value={a.usesToday ?? 0} aria-label={`${a.name}: ${a.usesToday ?? 0} of ${cap} today`} />}
                    </td>
                    <td>{formatTime(a.lastUse)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
