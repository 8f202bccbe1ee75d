/**
 * mpv2's own commands, for oclif's explicit command discovery (no globbing, no manifest needed).
 * Commands plugin namespaces contribute are found by `./contributed.ts`.
 */
import AccountsAdd from './commands/accounts/add.js';
import AccountsCheck from './commands/accounts/check.js';
import AccountsDisable from './commands/accounts/disable.js';
import AccountsEnable from './commands/accounts/enable.js';
import AccountsList from './commands/accounts/list.js';
import AccountsLogin from './commands/accounts/login.js';
import AccountsRemove from './commands/accounts/remove.js';
import AccountsShow from './commands/accounts/show.js';
import Approvals from './commands/approvals.js';
import Approve from './commands/approve.js';
import CacheClear from './commands/cache/clear.js';
import CacheStats from './commands/cache/stats.js';
import ConfigShow from './commands/config/show.js';
import Doctor from './commands/doctor.js';
import EffectsList from './commands/effects/list.js';
import EffectsResolve from './commands/effects/resolve.js';
import Enqueue from './commands/enqueue.js';
import Init from './commands/init.js';
import Plan from './commands/plan.js';
import PluginsInstall from './commands/plugins/install.js';
import PluginsList from './commands/plugins/list.js';
import Reject from './commands/reject.js';
import Resume from './commands/resume.js';
import Run from './commands/run.js';
import RunsList from './commands/runs/list.js';
import RunsPrune from './commands/runs/prune.js';
import RunsShow from './commands/runs/show.js';
import ScheduleAdd from './commands/schedule/add.js';
import ScheduleList from './commands/schedule/list.js';
import SchedulePause from './commands/schedule/pause.js';
import SchedulePosts from './commands/schedule/posts.js';
import ScheduleRemove from './commands/schedule/remove.js';
import ScheduleResume from './commands/schedule/resume.js';
import SchemaConfig from './commands/schema/config.js';
import SchemaPipeline from './commands/schema/pipeline.js';
import SchemaPlugin from './commands/schema/plugin.js';
import Mcp from './commands/mcp.js';
import Serve from './commands/serve.js';
import Validate from './commands/validate.js';
import Worker from './commands/worker.js';

export const COMMANDS = {
  'accounts:add': AccountsAdd,
  'accounts:check': AccountsCheck,
  'accounts:disable': AccountsDisable,
  'accounts:enable': AccountsEnable,
  'accounts:list': AccountsList,
  'accounts:login': AccountsLogin,
  'accounts:remove': AccountsRemove,
  'accounts:show': AccountsShow,
  approvals: Approvals,
  approve: Approve,
  'cache:clear': CacheClear,
  'cache:stats': CacheStats,
  'config:show': ConfigShow,
  doctor: Doctor,
  'effects:list': EffectsList,
  'effects:resolve': EffectsResolve,
  enqueue: Enqueue,
  init: Init,
  plan: Plan,
  'plugins:install': PluginsInstall,
  'plugins:list': PluginsList,
  reject: Reject,
  resume: Resume,
  run: Run,
  'runs:list': RunsList,
  'runs:prune': RunsPrune,
  'runs:show': RunsShow,
  'schedule:add': ScheduleAdd,
  'schedule:list': ScheduleList,
  'schedule:pause': SchedulePause,
  'schedule:posts': SchedulePosts,
  'schedule:remove': ScheduleRemove,
  'schedule:resume': ScheduleResume,
  'schema:config': SchemaConfig,
  'schema:pipeline': SchemaPipeline,
  'schema:plugin': SchemaPlugin,
  mcp: Mcp,
  serve: Serve,
  validate: Validate,
  worker: Worker,
};
