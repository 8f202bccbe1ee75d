import { scheduleChangeCommand } from './change.js';

export default scheduleChangeCommand('resume', 'Let a paused schedule fire again (fires during the pause are not made up)', 'resumed');
