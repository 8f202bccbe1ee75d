import { scheduleChangeCommand } from './change.js';

export default scheduleChangeCommand('remove', 'Delete a schedule (runs it queued stay queued)', 'removed');
