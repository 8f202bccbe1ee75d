import { scheduleChangeCommand } from './change.js';

export default scheduleChangeCommand('pause', 'Stop a schedule from firing until resumed', 'paused');
