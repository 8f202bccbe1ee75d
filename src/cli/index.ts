/** Every command, for oclif's explicit command discovery (no globbing, no manifest needed). */
import Plan from './commands/plan.js';
import Resume from './commands/resume.js';
import Run from './commands/run.js';
import Validate from './commands/validate.js';

export const COMMANDS = {
  plan: Plan,
  resume: Resume,
  run: Run,
  validate: Validate,
};
