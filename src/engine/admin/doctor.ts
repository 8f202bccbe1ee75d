/**
 * `mpv2 doctor`: is this machine and project ready? Node, ffmpeg/ffprobe and their features,
 * chromium/chromedriver, the state folder, disk space, SQLite, the config, then every loaded
 * plugin's own check. Nothing here throws: each problem is a line with a hint.
 */
import { checkCredentials } from '../../infra/accounts/check.js';
import { findProjectRoot } from '../../config/project.js';
import { isMpv2Error } from '../../errors.js';
import { openProject, type Project } from '../project.js';
import { pluginChecks, PLUGIN_CHECK_TIMEOUT_MS } from './doctor-plugins.js';
import { queueCheck } from './doctor-queue.js';
import { diskSpaceCheck, sqliteCheck, stateWritableCheck } from './doctor-state.js';
import { browserChecks, ffmpegChecks, nodeCheck } from './doctor-tools.js';
import { error, ok, warn, type DoctorCheck } from './doctor-types.js';

export type { DoctorCheck, CheckLevel } from './doctor-types.js';

export interface DoctorOptions {
  cwd: string;
  project?: string;
  env?: NodeJS.ProcessEnv;
  /** Per plugin check. @default 10 s */
  pluginTimeoutMs?: number;
}

export interface DoctorReport {
  root: string;
  checks: DoctorCheck[];
  /** error > warn > ok over all checks. */
  level: DoctorCheck['level'];
}

export async function runDoctor(o: DoctorOptions): Promise<DoctorReport> {
  const checks: DoctorCheck[] = [nodeCheck()];
  let root: string;
  try {
    root = findProjectRoot(o.cwd, o.project);
  } catch (e) {
    checks.push(error('project', (e as Error).message, isMpv2Error(e) ? e.hint : undefined));
    return finish(o.cwd, checks);
  }
  let project: Project | undefined;
  let configCheck: DoctorCheck;
  try {
    project = await openProject({ cwd: o.cwd, project: o.project, env: o.env });
    const where = project.config.file ? `${project.config.file}` : 'no config file (defaults)';
    configCheck = project.config.warnings.length
      ? warn('config', `${where}: ${project.config.warnings.join('; ')}`)
      : ok('config', `valid: ${where}`);
  } catch (e) {
    configCheck = error('config', isMpv2Error(e) ? `${e.code} ${e.message}` : String(e), (isMpv2Error(e) && e.hint) || '`mpv2 config show` prints the merged config; docs/config.md lists every key');
  }
  try {
    checks.push(...await ffmpegChecks(project?.config.values));
    checks.push(...await browserChecks(project?.config.values));
    checks.push(stateWritableCheck(root), diskSpaceCheck(root), sqliteCheck(root), configCheck);
    if (project) checks.push(await queueCheck(project.config.values));
    if (project) checks.push(await checkCredentials(root, project.config.secrets.MPV2_MASTER_KEY) as DoctorCheck);
    if (project) checks.push(...await pluginChecks(project, o.pluginTimeoutMs ?? PLUGIN_CHECK_TIMEOUT_MS));
    else checks.push(warn('plugins', 'plugin checks skipped: the config did not load'));
  } finally {
    project?.close();
  }
  return finish(root, checks);
}

function finish(root: string, checks: DoctorCheck[]): DoctorReport {
  const level = checks.some((c) => c.level === 'error') ? 'error' : checks.some((c) => c.level === 'warn') ? 'warn' : 'ok';
  return { root, checks, level };
}
